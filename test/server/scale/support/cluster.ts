import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../../../../server/config.js';
import { startEmbeddedServer, type EmbeddedServer } from '../../../../server/db/embedded/server.js';
import { startGodo, type RunningGodo } from '../../../../server/index.js';
import { within } from '../../collab/support/clients.js';

/** Why the scale-out tests cannot run here, or null when redis-server is installed. */
export function redisUnavailable(): string | null {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return `redis-server is not installed (${probe.error?.message ?? `exit ${probe.status}`}); apt-get install redis-server`;
  return null;
}

/** A free TCP port on loopback (redis-server cannot be told to pick one). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/** A throwaway redis-server: no persistence, its own temp dir, ready once it says so on stdout. */
export interface TestRedis {
  url: string;
  port: number;
  /** Kills it (SIGKILL by default) and waits until it is gone; it forgets everything. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port (empty: it runs without persistence). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startRedis(): Promise<TestRedis> {
  const port = await freePort();
  const dir = await mkdtemp(path.join(tmpdir(), 'godo-redis-'));
  let child: ChildProcess;
  const launch = async () => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--loglevel', 'notice'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    await within(
      new Promise<void>((resolve, reject) => {
        child.stdout!.on('data', (chunk: Buffer) => {
          output += chunk.toString('utf8');
          if (output.includes('Ready to accept connections')) resolve();
        });
        child.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${output}`)));
      }),
      'redis-server to accept connections',
    );
  };
  const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill(signal);
    await exited;
  };
  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill,
    restart: launch,
    async stop() {
      await kill('SIGTERM');
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The shared database of a cluster: the embedded server, in memory, on a free port. */
export async function startSharedDb(): Promise<{ db: EmbeddedServer; uri: string }> {
  const db = await startEmbeddedServer({ port: 0, dbpath: null, logger: pino({ level: 'silent' }) });
  const url = new URL(db.uri);
  url.pathname = '/godo_scale';
  return { db, uri: url.toString() };
}

/** The environment of one Godo process of the cluster. */
export function nodeEnv(mongoUri: string, redisUrl: string, instanceId: string): Record<string, string> {
  return {
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    GODO_DB_WORKER: 'false',
    GODO_SEED_DEMO: 'false',
    MONGODB_URI: mongoUri,
    REDIS_URL: redisUrl,
    GODO_INSTANCE_ID: instanceId,
  };
}

/** One Godo process of the cluster, in this test process (its own HTTP, Socket.IO, collab and Redis clients). */
export function startNode(mongoUri: string, redisUrl: string, instanceId: string): Promise<RunningGodo> {
  return startGodo(loadConfig(nodeEnv(mongoUri, redisUrl, instanceId)), { logger: pino({ level: 'silent' }) });
}

/**
 * Resolves once every node's Socket.IO adapter counts all of them (each has read the others'
 * heartbeats, so its stream reader runs and server-side events reach it). The adapter announces
 * nothing, so this re-checks every 20 ms: a condition with a deadline, not a fixed wait.
 */
export function adaptersMeet(nodes: RunningGodo[], count = nodes.length): Promise<void> {
  return within(
    new Promise<void>((resolve) => {
      const check = async () => {
        const counts = await Promise.all(nodes.map((node) => node.realtime.io.of('/').adapter.serverCount()));
        if (counts.every((c) => c === count)) resolve();
        else setTimeout(check, 20);
      };
      void check();
    }),
    `${count} Socket.IO nodes to see each other`,
  );
}

/**
 * A stand-in load balancer: each TCP connection goes to the first backend that accepts it, so when
 * a backend dies its clients' reconnections land on the next one (as behind a real balancer).
 */
export async function startBalancer(backendPorts: () => number[]): Promise<{ url: string; close(): Promise<void> }> {
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    open.add(client);
    client.once('close', () => open.delete(client));
    client.pause();
    const tryBackend = (ports: number[]) => {
      const [port, ...rest] = ports;
      if (port === undefined) return void client.destroy();
      const upstream = net.connect(port, '127.0.0.1');
      upstream.once('error', () => tryBackend(rest));
      upstream.once('connect', () => {
        open.add(upstream);
        upstream.removeAllListeners('error');
        upstream.once('close', () => open.delete(upstream));
        upstream.on('error', () => client.destroy());
        client.on('error', () => upstream.destroy());
        upstream.once('close', () => client.destroy());
        client.once('close', () => upstream.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
    };
    tryBackend(backendPorts());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
