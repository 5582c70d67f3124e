/**
 * Bench servers in child processes (so their CPU and heap are theirs alone): Godo (auth, embedded
 * database on disk, persistence on), `@y/websocket-server` 0.1.1 and `@hocuspocus/server` 3.x (both
 * in memory, no auth). Each child speaks a tiny IPC protocol: it sends { type: 'ready', ... } once
 * listening and answers { type: 'cpu' | 'heap' } with its process.cpuUsage() / heap after a GC.
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeHeapSnapshot } from 'node:v8';

/** `null`: a calibration relay without Yjs (nullChild.ts), only when FANOUT_SERVERS names it. */
export type ServerKind = 'godo' | 'yws' | 'hocuspocus' | 'null';

export const SERVER_LABEL: Record<ServerKind, string> = {
  godo: 'Godo',
  yws: '@y/websocket-server 0.1.1',
  hocuspocus: '@hocuspocus/server 3.4.4',
  null: 'bare relay without Yjs (calibration)',
};

/** What a ready child tells its parent. */
export interface ReadyMessage {
  type: 'ready';
  /** ws:// base for WebsocketProvider (Godo: .../collab) or HocuspocusProvider. */
  wsUrl: string;
  httpUrl: string;
  port: number;
  docNames: string[];
  /** One session cookie per editor (Godo); empty strings for the peers. */
  cookies: string[];
}

export interface BenchServer extends ReadyMessage {
  kind: ServerKind;
  child: ChildProcess;
  cpu(): Promise<NodeJS.CpuUsage>;
  heap(): Promise<{ heapUsed: number; rss: number; external: number; arrayBuffers: number }>;
  request<T>(message: Record<string, unknown>): Promise<T>;
  stop(): Promise<void>;
}

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * BENCH_PIN=1 (investigations): every server child on core 1 and the load generator on core 0, so
 * neither waits for the other's threads. Not the default: a server may use both cores in production.
 */
export const PINNED = Boolean(process.env.BENCH_PIN);

/** Binds a process and all its threads (and threads it starts later) to one core. */
export function pinToCore(pid: number, core: number): void {
  execFileSync('taskset', ['-a', '-p', '-c', String(core), String(pid)], { stdio: 'ignore' });
}

/**
 * Starts one bench server child. env: DOCS, EDITORS (Godo seeds that many proposals and users),
 * GODO_DATA_DIR, PORT; `execArgv` e.g. ['--expose-gc'] or ['--cpu-prof'].
 */
export async function startServer(kind: ServerKind, env: Record<string, string> = {}, execArgv: string[] = []): Promise<BenchServer> {
  const child = fork(path.join(here, `${kind}Child.ts`), [], {
    // BENCH_CHILD_ARGS: extra node flags for every server child (e.g. --trace-gc), for investigations.
    execArgv: ['--import', 'tsx', ...execArgv, ...(process.env.BENCH_CHILD_ARGS?.split(' ').filter(Boolean) ?? [])],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const [ready] = (await Promise.race([
    once(child, 'message'),
    once(child, 'exit').then(([code]) => {
      throw new Error(`${kind} bench server exited with ${code}`);
    }),
  ])) as [ReadyMessage];
  if (PINNED) pinToCore(child.pid!, 1);
  let seq = 0;
  const request = <T>(message: Record<string, unknown>): Promise<T> =>
    new Promise((resolve) => {
      const id = ++seq;
      const onMessage = (reply: { id?: number; value: T }) => {
        if (reply.id !== id) return;
        child.off('message', onMessage);
        resolve(reply.value);
      };
      child.on('message', onMessage);
      child.send({ ...message, id });
    });
  return {
    ...ready,
    kind,
    child,
    request,
    cpu: () => request({ type: 'cpu' }),
    heap: () => request({ type: 'heap' }),
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Child side: answers cpu/heap requests; `extra` handles scenario-specific ones. */
export function serveIpc(extra: (message: { type: string; id: number } & Record<string, unknown>) => Promise<unknown> | undefined = () => undefined): void {
  // A bench that crashed must not leave its server running.
  process.on('disconnect', () => process.exit(0));
  process.on('message', async (message: { type: string; id: number } & Record<string, unknown>) => {
    let value: unknown;
    if (message.type === 'cpu') value = process.cpuUsage();
    else if (message.type === 'heap') {
      for (let i = 0; i < 3; i++) globalThis.gc?.();
      const m = process.memoryUsage();
      value = { heapUsed: m.heapUsed, rss: m.rss, external: m.external, arrayBuffers: m.arrayBuffers };
    } else if (message.type === 'heapSnapshot') {
      // After full GCs, so the snapshot holds only what is retained (compare two rounds' snapshots).
      for (let i = 0; i < 3; i++) globalThis.gc?.();
      value = writeHeapSnapshot(message.file as string);
    } else value = await extra(message);
    process.send!({ id: message.id, value });
  });
}

/**
 * Child side of a peer (or the calibration relay): serves the IPC requests and tells the parent it
 * listens on `port`, with DOCS plain document names and no cookies (peers run without auth).
 */
export function announcePeerReady(port: number): void {
  serveIpc();
  const ready: ReadyMessage = {
    type: 'ready',
    wsUrl: `ws://127.0.0.1:${port}`,
    httpUrl: `http://127.0.0.1:${port}`,
    port,
    docNames: Array.from({ length: Number(process.env.DOCS ?? 1) }, (_, i) => `bench-${i}`),
    cookies: Array.from({ length: Number(process.env.EDITORS ?? 1) }, () => ''),
  };
  process.send!(ready);
}
