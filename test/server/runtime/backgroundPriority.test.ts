import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../server/config.js';
import { lowerBackgroundThreads } from '../../../server/runtime/backgroundPriority.js';

// A real `node server/index.ts` (embedded database in its worker thread, on disk): after startup
// every thread but the event loop's runs at the configured nice value, read back from /proc.

const INDEX = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../server/index.ts');
const MODULE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../server/runtime/backgroundPriority.ts');

/** tid → nice value of every thread of `pid` (field 19 of /proc/<pid>/task/<tid>/stat). */
function threadNices(pid: number): Map<number, number> {
  const nices = new Map<number, number>();
  for (const entry of readdirSync(`/proc/${pid}/task`)) {
    const stat = readFileSync(`/proc/${pid}/task/${entry}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields are counted after its closing one.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    nices.set(Number(entry), Number(fields[19 - 3]));
  }
  return nices;
}

const children: ChildProcess[] = [];
const dirs: string[] = [];

/** Starts Godo as its own process and resolves once it logged that it is running. */
async function startGodoProcess(env: Record<string, string>): Promise<ChildProcess> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'godo-priority-'));
  dirs.push(dataDir);
  const child = fork(INDEX, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', LOG_PRETTY: 'false', GODO_SEED_DEMO: 'false', GODO_DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  children.push(child);
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`Godo exited with ${code} before it was running`);
  });
  const running = (async () => {
    for await (const line of createInterface({ input: child.stdout! })) {
      if (line.includes('Godo is running at')) return;
    }
  })();
  await Promise.race([running, exited]);
  return child;
}

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  }
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe.runIf(process.platform === 'linux')('background threads run at a lower CPU priority than the event loop', () => {
  it('lowers every thread but the event loop’s to GODO_BACKGROUND_NICE (default 10), the database worker included', { timeout: 60_000 }, async () => {
    const child = await startGodoProcess({});
    const nices = threadNices(child.pid!);
    expect(nices.get(child.pid!)).toBe(0);
    const others = [...nices].filter(([tid]) => tid !== child.pid);
    // V8's helpers (4 by default), the database worker and the file-system pool at least.
    expect(others.length).toBeGreaterThanOrEqual(6);
    expect(others.filter(([, nice]) => nice < 10)).toEqual([]);
  });

  it('leaves every thread as it was with GODO_BACKGROUND_NICE=0', { timeout: 60_000 }, async () => {
    const child = await startGodoProcess({ GODO_BACKGROUND_NICE: '0' });
    const nices = threadNices(child.pid!);
    expect([...nices.values()].every((nice) => nice === 0)).toBe(true);
  });

  it('does nothing when disabled or when called off the main thread', async () => {
    expect(lowerBackgroundThreads(0)).toEqual({ threads: 0, lowered: 0, skipped: 'disabled' });
    // A worker thread of this test process: process.pid's thread is not its own to lower.
    const tsxApi = pathToFileURL(path.join(path.dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
    const source = `import(${JSON.stringify(tsxApi)}).then(({ register }) => { register(); return import(${JSON.stringify(pathToFileURL(MODULE).href)}); })
      .then((m) => import('node:worker_threads').then(({ parentPort }) => parentPort.postMessage(m.lowerBackgroundThreads(10))));`;
    const worker = new Worker(source, { eval: true });
    const [answer] = await once(worker, 'message');
    await worker.terminate();
    expect(answer).toEqual({ threads: 0, lowered: 0, skipped: 'not-main-thread' });
  });
});

describe('GODO_BACKGROUND_NICE', () => {
  it('defaults to 10 and accepts 0–19 only, naming the variable when it is wrong', () => {
    expect(loadConfig({}).GODO_BACKGROUND_NICE).toBe(10);
    expect(loadConfig({ GODO_BACKGROUND_NICE: '0' }).GODO_BACKGROUND_NICE).toBe(0);
    for (const bad of ['20', '-1', '2.5', 'low']) {
      expect(() => loadConfig({ GODO_BACKGROUND_NICE: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ GODO_BACKGROUND_NICE: bad })).toThrow(/GODO_BACKGROUND_NICE/);
    }
  });
});
