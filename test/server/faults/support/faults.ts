import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { within } from '../../collab/support/clients.js';
import { freePort } from '../../scale/support/cluster.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const DB_CLI = path.join(ROOT, 'server/db/embedded/cli.ts');

/**
 * Resolves once `child` prints `marker` on stdout (or rejects when it exits first). `output` keeps
 * what it printed, for the failure message.
 */
function printed(child: ChildProcess, marker: string, what: string): Promise<void> {
  let output = '';
  return within(
    new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString('utf8');
        if (output.includes(marker)) {
          child.stdout!.off('data', onData);
          resolve();
        }
      };
      child.stdout!.on('data', onData);
      child.once('exit', (code, signal) => reject(new Error(`${what} exited (${code ?? signal}) before it was ready: ${output}`)));
    }),
    what,
    60_000,
  );
}

/** The standalone embedded database (`npm run db`) in its own process, on disk, killable and restartable on the same port and data. */
export interface DbProcess {
  /** `mongodb://127.0.0.1:<port>/<dbName>` */
  uri: string;
  port: number;
  dbpath: string;
  /** Kills it (SIGKILL by default: no flush, no goodbye) and waits for it to be gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port and data directory; resolves once it listens. */
  restart(): Promise<void>;
  /** Freezes it (SIGSTOP: connections stay open, nothing answers) / lets it go on (SIGCONT). */
  pause(): void;
  resume(): void;
  /** Stops it and removes its data. */
  stop(): Promise<void>;
}

export async function startDbProcess(dbName: string): Promise<DbProcess> {
  const port = await freePort();
  const dbpath = await mkdtemp(path.join(tmpdir(), 'godo-faultdb-'));
  let child: ChildProcess;
  const launch = async () => {
    child = spawn(process.execPath, ['--import', 'tsx', DB_CLI, '--port', String(port), '--dbpath', dbpath, '--logLevel', 'info'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await printed(child, 'server listening', 'the embedded database');
  };
  const running = () => child.exitCode === null && child.signalCode === null;
  const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
    if (!running()) return;
    const exited = once(child, 'exit');
    if (child.signalCode === null) child.kill('SIGCONT');
    child.kill(signal);
    await exited;
  };
  await launch();
  return {
    uri: `mongodb://127.0.0.1:${port}/${dbName}`,
    port,
    dbpath,
    kill,
    restart: launch,
    pause: () => void child.kill('SIGSTOP'),
    resume: () => void child.kill('SIGCONT'),
    async stop() {
      await kill('SIGTERM');
      await rm(dbpath, { recursive: true, force: true });
    },
  };
}

/** What one `/healthz` answered. */
export interface HealthAnswer {
  status: number;
  body: { ok: boolean; status: string; reasons: string[]; draining: boolean; database: Record<string, unknown>; redis?: { connected: boolean } };
}

export async function health(url: string, probe = '/healthz'): Promise<HealthAnswer> {
  const res = await fetch(url + probe, { signal: AbortSignal.timeout(15_000) });
  return { status: res.status, body: (await res.json()) as HealthAnswer['body'] };
}

/**
 * Asks `/healthz` until `predicate` holds (a bounded polling loop: health has no push channel),
 * resolving with the answer and how long it took. Each probe itself is bounded by the server's
 * ping timeout; a connection refused counts as "not yet".
 */
export async function healthUntil(url: string, predicate: (answer: HealthAnswer) => boolean, what: string, timeoutMs = 30_000): Promise<HealthAnswer & { afterMs: number }> {
  const started = performance.now();
  let last: HealthAnswer | Error | undefined;
  while (performance.now() - started < timeoutMs) {
    try {
      last = await health(url);
      if (predicate(last)) return { ...last, afterMs: Math.round(performance.now() - started) };
    } catch (error) {
      last = error as Error;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for health: ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
}

/** Resolves with `task`'s result and its duration in ms. */
export async function timed<T>(task: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await task();
  return { value, ms: Math.round(performance.now() - started) };
}
