import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, redisUnavailable, startRedis, type TestRedis } from '../server/scale/support/cluster.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** One server process of the deployment under load. */
export interface ServerProcess {
  name: string;
  child: ChildProcess;
  /** The HTTP base URL (Godo) or the MongoDB URI (database). */
  url: string;
}

/** Godo as deployed on this machine: one process with its embedded database, or two on Redis and a database process. */
export interface Deployment {
  /** Godo's base URLs; clients are spread across them. */
  urls: string[];
  processes: ServerProcess[];
  /** Resident memory (bytes) and CPU (% of one core since the previous call) of every server process. */
  sample(): { rss: number; cpuPercent: number; perProcess: { name: string; rss: number; cpuPercent: number }[] };
  /** Graceful stop (SIGTERM, as a process manager would): Godo first, then the database. Exit codes by name. */
  stop(): Promise<Record<string, number | string>>;
}

/**
 * Spawns `node --import tsx <script>` and resolves when a JSON log line of its stdout satisfies
 * `ready` (the server says where it listens). Output goes to `logFile` for a post-mortem.
 */
async function spawnServer(name: string, script: string, args: string[], env: Record<string, string>, logFile: string, ready: (line: Record<string, unknown>) => string | undefined): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(logFile);
  child.stderr!.pipe(log);
  let buffered = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 60 s (see ${logFile})`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      log.write(chunk);
      buffered += chunk.toString('utf8');
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        try {
          const found = ready(JSON.parse(line) as Record<string, unknown>);
          if (found) {
            clearTimeout(timer);
            resolve(found);
          }
        } catch {
          // Not a JSON log line (tsx warnings): only the log file needs it.
        }
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before it was ready (see ${logFile})`));
    });
  });
  return { name, child, url };
}

function godoEnv(extra: Record<string, string>): Record<string, string> {
  return { NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', LOG_PRETTY: 'false', GODO_SEED_DEMO: 'false', ...extra };
}

const godoReady = (line: Record<string, unknown>) => (typeof line.url === 'string' && String(line.msg).startsWith('Godo is running') ? line.url : undefined);

/** CPU ticks (user + system) and RSS of a process, from /proc (Linux). */
function procStat(pid: number): { ticks: number; rss: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    const rssPages = Number(fields[21]);
    return { ticks, rss: rssPages * 4096 };
  } catch {
    return null;
  }
}

/**
 * Starts the deployment on `dataDir` (already seeded): with one process, `server/index.ts` with its
 * embedded database in a worker thread, on disk, exactly as `npm start` runs; with two, the
 * embedded database as its own process (`server/db/embedded/cli.ts`), redis-server, and two
 * `server/index.ts` processes sharing both, each with its own GODO_INSTANCE_ID (no balancer:
 * the load generator spreads its clients across them).
 */
export async function startDeployment(options: { processes: 1 | 2; dataDir: string; logDir: string }): Promise<Deployment> {
  const processes: ServerProcess[] = [];
  let redis: TestRedis | null = null;
  if (options.processes === 1) {
    processes.push(await spawnServer('godo', 'server/index.ts', [], godoEnv({ GODO_DATA_DIR: options.dataDir }), path.join(options.logDir, 'godo.log'), godoReady));
  } else {
    const missing = redisUnavailable();
    if (missing) throw new Error(`--processes 2 needs Redis: ${missing}`);
    const port = await freePort();
    const db = await spawnServer('database', 'server/db/embedded/cli.ts', ['--port', String(port), '--dbpath', options.dataDir], {}, path.join(options.logDir, 'database.log'), (line) =>
      typeof line.uri === 'string' ? line.uri : undefined,
    );
    processes.push(db);
    redis = await startRedis();
    const mongoUri = `mongodb://127.0.0.1:${port}/godo`;
    for (const instance of ['godo-a', 'godo-b']) {
      processes.push(
        await spawnServer(instance, 'server/index.ts', [], godoEnv({ MONGODB_URI: mongoUri, REDIS_URL: redis.url, GODO_INSTANCE_ID: instance }), path.join(options.logDir, `${instance}.log`), godoReady),
      );
    }
  }
  const lastTicks = new Map<number, { ticks: number; at: number }>();
  return {
    urls: processes.filter((p) => p.name !== 'database').map((p) => p.url),
    processes,
    sample() {
      const perProcess = processes.map((p) => {
        const pid = p.child.pid!;
        const stat = procStat(pid);
        const now = performance.now();
        const before = lastTicks.get(pid);
        let cpuPercent = Number.NaN;
        if (stat) {
          // Linux counts CPU in clock ticks of 10 ms (USER_HZ 100).
          if (before) cpuPercent = ((stat.ticks - before.ticks) * 10 * 100) / (now - before.at);
          lastTicks.set(pid, { ticks: stat.ticks, at: now });
        }
        return { name: p.name, rss: stat?.rss ?? Number.NaN, cpuPercent };
      });
      return {
        rss: perProcess.reduce((sum, p) => sum + p.rss, 0),
        cpuPercent: perProcess.reduce((sum, p) => sum + (Number.isNaN(p.cpuPercent) ? 0 : p.cpuPercent), 0),
        perProcess,
      };
    },
    async stop() {
      const codes: Record<string, number | string> = {};
      const stopOne = async (p: ServerProcess) => {
        if (p.child.exitCode !== null || p.child.signalCode !== null) {
          codes[p.name] = p.child.exitCode ?? String(p.child.signalCode);
          return;
        }
        const exited = once(p.child, 'exit') as Promise<[number | null, string | null]>;
        p.child.kill('SIGTERM');
        // The README asks for a stop timeout of at least 15 s; past 60 s something is wrong.
        const timer = setTimeout(() => p.child.kill('SIGKILL'), 60_000);
        const [code, signal] = await exited;
        clearTimeout(timer);
        codes[p.name] = code ?? String(signal);
      };
      await Promise.all(processes.filter((p) => p.name !== 'database').map(stopOne));
      await Promise.all(processes.filter((p) => p.name === 'database').map(stopOne));
      await redis?.stop();
      return codes;
    },
  };
}
