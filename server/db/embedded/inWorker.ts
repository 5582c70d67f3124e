import { parentPort, workerData } from 'node:worker_threads';
import { pino } from 'pino';
import { startEmbeddedServer, type EmbeddedServer } from './server.js';
import type { WorkerServerOptions } from './worker.js';

/**
 * Entry point of the database worker thread: starts the embedded server with the options
 * the parent passed, reports `ready` (or `error`), and closes it on a `close` message.
 */
async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('inWorker.ts must run inside a worker thread');
  const options = workerData as WorkerServerOptions;
  let server: EmbeddedServer;
  try {
    server = await startEmbeddedServer({
      port: options.port,
      host: options.host,
      dbpath: options.dbpath,
      compactLogBytes: options.compactLogBytes,
      cursorTimeoutMs: options.cursorTimeoutMs,
      logger: pino({ level: options.logLevel ?? 'warn' }),
    });
  } catch (err) {
    port.postMessage({ type: 'error', message: (err as Error).message, stack: (err as Error).stack });
    return;
  }
  port.on('message', (message: { type: string }) => {
    if (message.type !== 'close') return;
    server.close().then(
      () => port.postMessage({ type: 'closed' }),
      (err: Error) => port.postMessage({ type: 'closeError', message: err.message }),
    );
  });
  port.postMessage({ type: 'ready', port: server.port, uri: server.uri });
}

void main();
