import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connectClient, docSatisfies, synced, within, type TestClient } from './support/clients.js';

// kill -9 of the server with clients connected: nothing is lost. The server runs in a child process
// (support/childGodo.ts) with its embedded database on disk, is SIGKILLed, and restarted on the same
// port and data; the clients reconnect by themselves and resend what the server lacks.

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'support', 'childGodo.ts');

interface Ready {
  type: 'ready';
  url: string;
  port: number;
  seed?: { docName: string; cookies: string[] };
}

const children: ChildProcess[] = [];
const clients: TestClient[] = [];
let dataDir: string | undefined;

async function startChild(env: Record<string, string>): Promise<{ child: ChildProcess; ready: Ready }> {
  const child = fork(CHILD, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.push(child);
  const [ready] = (await within(once(child, 'message'), 'child server ready', 30_000)) as [Ready];
  return { child, ready };
}

function storedState(child: ChildProcess, docName: string): Promise<Y.Doc> {
  const reply = once(child, 'message') as Promise<[{ state: string }]>;
  child.send({ type: 'stored', docName });
  return within(reply, 'stored state').then(([{ state }]) => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Buffer.from(state, 'base64'));
    return doc;
  });
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('kill -9 with clients connected', () => {
  it('loses nothing: after a restart the clients and the database converge', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'godo-collab-kill-'));
    // Saves are batched for a minute: at the kill, nothing of the text is stored yet.
    const first = await startChild({ GODO_DATA_DIR: dataDir, PORT: '0', SEED: '1', SAVE_DELAY_MS: '60000' });
    const { docName, cookies } = first.ready.seed!;
    const [a, b] = cookies.map((cookie) => connectClient(first.ready.url, docName, cookie));
    clients.push(a, b);
    await Promise.all([synced(a), synced(b)]);
    const text = (c: TestClient) => c.doc.getText('t').toString();

    a.doc.getText('t').insert(0, 'alpha ');
    await docSatisfies(b.doc, () => text(b).includes('alpha'), 'b sees alpha');
    b.doc.getText('t').insert(text(b).length, 'beta ');
    await docSatisfies(a.doc, () => text(a).includes('beta'), 'a sees beta');
    first.child.kill('SIGKILL');
    await once(first.child, 'exit');

    // Both keep editing while the server is down, and stay away until we have looked at the database.
    a.provider.disconnect();
    b.provider.disconnect();
    a.doc.getText('t').insert(0, 'offline-a ');
    b.doc.getText('t').insert(text(b).length, 'offline-b');

    const second = await startChild({ GODO_DATA_DIR: dataDir, PORT: String(first.ready.port) });
    expect((await storedState(second.child, docName)).getText('t').toString()).toBe('');
    a.provider.connect();
    b.provider.connect();
    const everything = (c: TestClient) => ['alpha', 'beta', 'offline-a', 'offline-b'].every((word) => text(c).includes(word));
    await Promise.all([
      docSatisfies(a.doc, () => everything(a), 'a converges'),
      docSatisfies(b.doc, () => everything(b), 'b converges'),
      synced(a, 'a resync'),
      synced(b, 'b resync'),
    ]);
    expect(text(a)).toBe(text(b));

    a.provider.disconnect();
    b.provider.disconnect();
    const stored = await storedState(second.child, docName);
    expect(stored.getText('t').toString()).toBe(text(a));

    second.child.kill('SIGTERM');
    expect((await once(second.child, 'exit'))[0]).toBe(0);
  });

  it('with the production save batching, clients that reconnect by themselves converge with the database', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'godo-collab-kill-'));
    const first = await startChild({ GODO_DATA_DIR: dataDir, PORT: '0', SEED: '1' });
    const { docName, cookies } = first.ready.seed!;
    const [a, b] = cookies.map((cookie) => connectClient(first.ready.url, docName, cookie));
    clients.push(a, b);
    await Promise.all([synced(a), synced(b)]);
    const text = (c: TestClient) => c.doc.getText('t').toString();
    for (let i = 0; i < 20; i += 1) (i % 2 ? a : b).doc.getText('t').insert(0, `${i};`);
    await docSatisfies(a.doc, () => text(a).split(';').length === 21, 'a has every edit');
    await docSatisfies(b.doc, () => text(b).split(';').length === 21, 'b has every edit');
    first.child.kill('SIGKILL');
    await once(first.child, 'exit');
    b.doc.getText('t').insert(0, 'while down;');

    const second = await startChild({ GODO_DATA_DIR: dataDir, PORT: String(first.ready.port) });
    await Promise.all([
      docSatisfies(a.doc, () => text(a).includes('while down'), 'a converges'),
      synced(a, 'a resync'),
      synced(b, 'b resync'),
    ]);
    expect(text(a)).toBe(text(b));
    a.provider.disconnect();
    b.provider.disconnect();
    expect((await storedState(second.child, docName)).getText('t').toString()).toBe(text(a));
  });
});
