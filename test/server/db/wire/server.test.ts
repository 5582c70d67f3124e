import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedServer } from '../../../../server/db/embedded/server.js';
import { startEmbeddedServerInWorker } from '../../../../server/db/embedded/worker.js';
import { againstRealMongo } from '../commands/harness.js';

// These start, restart and kill the embedded server itself (data dir, worker, CLI), so TEST_MONGODB_URI runs skip them.

const silent = pino({ level: 'silent' });
const root = join(import.meta.dirname, '../../../..');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'godo-embedded-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function ping(uri: string): Promise<number> {
  const client = await MongoClient.connect(uri);
  try {
    return (await client.db('admin').command({ ping: 1 })).ok as number;
  } finally {
    await client.close();
  }
}

describe.skipIf(againstRealMongo)('startEmbeddedServer', () => {
  it('keeps acknowledged writes across a restart on the same dbpath', async () => {
    const dbpath = join(dir, 'persist');
    const first = await startEmbeddedServer({ port: 0, dbpath, logger: silent });
    const client = await MongoClient.connect(first.uri);
    await client.db('p').collection('c').insertOne({ _id: 1 as never, v: 'kept' });
    await client.close();
    await first.close();
    const second = await startEmbeddedServer({ port: 0, dbpath, logger: silent });
    const again = await MongoClient.connect(second.uri);
    expect(await again.db('p').collection('c').findOne({ _id: 1 as never })).toEqual({ _id: 1, v: 'kept' });
    await again.close();
    await second.close();
  });

  it('runs several isolated servers in one process', async () => {
    const [a, b] = await Promise.all([
      startEmbeddedServer({ port: 0, dbpath: null, logger: silent }),
      startEmbeddedServer({ port: 0, dbpath: null, logger: silent }),
    ]);
    const ca = await MongoClient.connect(a.uri);
    const cb = await MongoClient.connect(b.uri);
    await ca.db('x').collection('c').insertOne({ only: 'a' });
    expect(await cb.db('x').collection('c').countDocuments()).toBe(0);
    const status = await ca.db('admin').command({ serverStatus: 1 });
    expect(status.connections.current).toBeGreaterThanOrEqual(1);
    await Promise.all([ca.close(), cb.close()]);
    await Promise.all([a.close(), b.close(), a.close()]);
  });

  it('rejects when the port is taken', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    await expect(startEmbeddedServer({ port, dbpath: null, logger: silent })).rejects.toThrow(/EADDRINUSE/);
    await new Promise((resolve) => blocker.close(resolve));
  });
});

describe.skipIf(againstRealMongo)('startEmbeddedServerInWorker', () => {
  it('serves the driver from a worker thread under vitest', async () => {
    const worker = await startEmbeddedServerInWorker({ port: 0, dbpath: null });
    expect(worker.port).toBeGreaterThan(0);
    expect(await ping(worker.uri)).toBe(1);
    await worker.close();
  });

  it('reports startup errors as rejections', async () => {
    const dbpath = join(dir, 'locked');
    const holder = await startEmbeddedServer({ port: 0, dbpath, logger: silent });
    await expect(startEmbeddedServerInWorker({ port: 0, dbpath })).rejects.toThrow();
    await holder.close();
  });

  it('serves the driver from a worker thread under tsx', async () => {
    const script = `
      import { startEmbeddedServerInWorker } from ${JSON.stringify(join(root, 'server/db/embedded/worker.ts'))};
      import { MongoClient } from 'mongodb';
      const worker = await startEmbeddedServerInWorker({ port: 0, dbpath: null });
      const client = await MongoClient.connect(worker.uri);
      const reply = await client.db('admin').command({ ping: 1 });
      await client.close();
      await worker.close();
      console.log('PING ' + reply.ok);
    `;
    const output = await runNode(['--import', 'tsx', '--input-type=module', '-e', script]);
    expect(output.stdout).toContain('PING 1');
    expect(output.code).toBe(0);
  });
});

describe.skipIf(againstRealMongo)('cli', () => {
  it('logs the URI, serves it and shuts down cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/db/embedded/cli.ts', '--port', '0', '--dbpath', join(dir, 'cli')], { cwd: root });
    let stdout = '';
    const uri = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /"uri":"([^"]+)"/.exec(stdout);
        if (match) resolve(match[1]);
      });
      child.once('exit', (code) => reject(new Error(`cli exited early with ${code}: ${stdout}`)));
    });
    expect(await ping(uri)).toBe(1);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});

function runNode(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
