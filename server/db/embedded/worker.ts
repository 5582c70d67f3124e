import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Options of {@link startEmbeddedServerInWorker} (a logger cannot cross threads: give a level). */
export interface WorkerServerOptions {
  port?: number;
  host?: string;
  dbpath: string | null;
  compactLogBytes?: number;
  cursorTimeoutMs?: number;
  /** pino level for the worker's own logger (default `warn`). */
  logLevel?: string;
}

/** The embedded server running in a worker thread. */
export interface WorkerServer {
  uri: string;
  port: number;
  /** Closes the server (flushing storage) and ends the worker. */
  close(): Promise<void>;
}

interface WorkerMessage {
  type: 'ready' | 'error' | 'closed' | 'closeError';
  port?: number;
  uri?: string;
  message?: string;
  stack?: string;
}

/*
 * The worker runs TypeScript source, so it registers tsx itself before importing the entry:
 * this works the same whether the parent runs under tsx, vitest or plain node with a loader,
 * and needs no `--import` flag (which workers resolve relative to the cwd).
 */
function bootstrap(entry: string, tsxApi: string): string {
  return `import(${JSON.stringify(tsxApi)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`;
}

/**
 * Starts the embedded server in a worker thread so database work does not share the app's
 * event loop. Rejects with the worker's error when the server cannot start (port in use,
 * data directory locked, ...).
 */
export function startEmbeddedServerInWorker(options: WorkerServerOptions): Promise<WorkerServer> {
  const entry = new URL('./inWorker.ts', import.meta.url).href;
  // The ESM build of tsx's API; resolving the export with require() would pick the CommonJS one.
  const tsxRoot = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const tsxApi = pathToFileURL(join(tsxRoot, 'dist/esm/api/index.mjs')).href;
  const worker = new Worker(bootstrap(entry, tsxApi), { eval: true, workerData: options });
  return new Promise<WorkerServer>((resolve, reject) => {
    let started = false;
    const onExit = (code: number) => reject(new Error(`embedded database worker exited with code ${code} before starting`));
    worker.on('error', (err) => {
      // Before `ready` the caller learns of it; afterwards the thread is gone and close() resolves.
      if (!started) reject(err);
      else process.emitWarning(`embedded database worker failed: ${err.message}`);
    });
    worker.once('exit', onExit);
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'error' && !started) {
        const err = new Error(message.message ?? 'embedded database worker failed');
        if (message.stack) err.stack = message.stack;
        void worker.terminate();
        reject(err);
      }
      if (message.type !== 'ready' || started) return;
      started = true;
      worker.off('exit', onExit);
      resolve({ uri: message.uri ?? '', port: message.port ?? 0, close: () => closeWorker(worker) });
    });
  });
}

function closeWorker(worker: Worker): Promise<void> {
  // threadId is -1 once the thread has ended: there is nothing left to close.
  if (worker.threadId === -1) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const onMessage = (message: WorkerMessage) => {
      if (message.type === 'closed') void worker.terminate().then(() => resolve());
      if (message.type === 'closeError') void worker.terminate().then(() => reject(new Error(message.message)));
    };
    worker.on('message', onMessage);
    worker.once('exit', () => resolve());
    worker.postMessage({ type: 'close' });
  });
}
