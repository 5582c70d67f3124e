import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { mongoPersistence } from '../../../server/collab/mongoPersistence.js';
import type { EmbeddedServer } from '../../../server/db/embedded/server.js';
import type { RunningGodo } from '../../../server/index.js';
import { connectClient, docSatisfies, synced, within, type TestClient } from '../collab/support/clients.js';
import { createReportFixture, type ReportFixture } from '../collab/support/godoHarness.js';
import { nodeEnv, redisUnavailable, startBalancer, startNode, startRedis, startSharedDb, type TestRedis } from './support/cluster.js';

// Several Godo processes share one MongoDB and one Redis: report editors on different processes
// converge, every edit is stored, and a process that dies hands its clients to another intact.

const skipReason = redisUnavailable();
if (skipReason) console.warn(`[scale tests skipped] ${skipReason}`);

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'support', 'clusterChild.ts');

describe.skipIf(skipReason !== null)('Yjs across processes', () => {
  let redis: TestRedis;
  let shared: { db: EmbeddedServer; uri: string };
  let a: RunningGodo;
  let b: RunningGodo;
  const clients: TestClient[] = [];
  const connect = (url: string, fixture: ReportFixture) => {
    const client = connectClient(url, fixture.docName, fixture.cookies.reviewer);
    clients.push(client);
    return client;
  };
  const text = (client: TestClient) => client.doc.getText('t').toString();
  const closeClients = () => {
    for (const client of clients.splice(0)) client.destroy();
  };
  const unloaded = (node: RunningGodo, docName: string) =>
    node.collab.registry.names().includes(docName)
      ? within(new Promise<void>((resolve) => node.collab.registry.on('unloaded', (name) => name === docName && resolve())), `${docName} unloaded`)
      : Promise.resolve();
  async function stored(node: RunningGodo, docName: string): Promise<string> {
    const stored = await mongoPersistence(node.models).load(docName);
    const doc = new Y.Doc();
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
    for (const update of stored.updates) Y.applyUpdate(doc, update);
    return doc.getText('t').toString();
  }

  beforeAll(async () => {
    redis = await startRedis();
    shared = await startSharedDb();
    a = await startNode(shared.uri, redis.url, 'node-a');
    b = await startNode(shared.uri, redis.url, 'node-b');
  });
  afterEach(closeClients);
  afterAll(async () => {
    closeClients();
    await Promise.all([a?.close(), b?.close()]);
    await shared?.db.close();
    await redis?.stop();
  });

  describe('editors on different processes', () => {
    it('see each other’s edits both ways, and every edit is stored once the document is unused', async () => {
      const fixture = await createReportFixture(a);
      const onA = connect(a.url, fixture);
      const onB = connect(b.url, fixture);
      await Promise.all([synced(onA), synced(onB)]);
      onA.doc.getText('t').insert(0, 'from A. ');
      await docSatisfies(onB.doc, () => text(onB).includes('from A.'), 'A’s edit on B');
      onB.doc.getText('t').insert(text(onB).length, 'from B.');
      await docSatisfies(onA.doc, () => text(onA) === 'from A. from B.', 'B’s edit on A');
      expect(text(onB)).toBe('from A. from B.');
      const gone = [unloaded(a, fixture.docName), unloaded(b, fixture.docName)];
      closeClients();
      await Promise.all(gone);
      expect(await stored(a, fixture.docName)).toBe('from A. from B.');
    });

    it('gives a process that opens the document later everything, including edits not yet stored', async () => {
      const fixture = await createReportFixture(a);
      const first = connect(a.url, fixture);
      await synced(first);
      first.doc.getText('t').insert(0, 'early');
      await docSatisfies(a.collab.registry.get(fixture.docName)!.doc, () => a.collab.registry.get(fixture.docName)!.doc.getText('t').toString() === 'early', 'edit on A');
      const late = connect(b.url, fixture);
      await synced(late);
      await docSatisfies(late.doc, () => text(late) === 'early', 'the early edit on the late client');
    });

    it('relays awareness (who is editing where) between processes', async () => {
      const fixture = await createReportFixture(a);
      const onA = connect(a.url, fixture);
      const onB = connect(b.url, fixture);
      await Promise.all([synced(onA), synced(onB)]);
      onA.provider.awareness.setLocalStateField('cursor', { anchor: 7 });
      await within(
        new Promise<void>((resolve) => {
          const check = () => {
            const state = onB.provider.awareness.getStates().get(onA.doc.clientID);
            if (state?.cursor?.anchor === 7) resolve();
          };
          onB.provider.awareness.on('change', check);
          check();
        }),
        'A’s awareness on B',
      );
    });
  });

  describe('a process that dies', () => {
    let child: ChildProcess | undefined;
    afterEach(() => {
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });

    it('(SIGKILL, before storing its clients’ edits) loses nothing: its clients move on and the survivor stores their edits', async () => {
      const fixture = await createReportFixture(a);
      // A long save delay: the killed process never stores its client's edit itself.
      child = fork(CHILD, [], {
        execArgv: ['--import', 'tsx'],
        env: { ...process.env, ...nodeEnv(shared.uri, redis.url, 'node-k'), SAVE_DELAY_MS: '600000' },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      const [ready] = (await within(once(child, 'message'), 'child ready', 40_000)) as [{ url: string; port: number }];
      const killedPort = ready.port;
      let alive = true;
      // Its clients move to A, which already holds their edit (relayed): their resend stores nothing new there.
      const balancer = await startBalancer(() => (alive ? [killedPort, a.port] : [a.port]));
      try {
        const onA = connect(a.url, fixture);
        const moving = connect(balancer.url, fixture);
        await Promise.all([synced(onA), synced(moving)]);
        moving.doc.getText('t').insert(0, 'typed on the doomed process');
        await docSatisfies(onA.doc, () => text(onA) === 'typed on the doomed process', 'the edit relayed to A');
        const exited = once(child, 'exit');
        child.kill('SIGKILL');
        await exited;
        alive = false;
        // While the client is between processes it keeps typing; it resends on reconnecting.
        moving.doc.getText('t').insert(text(moving).length, ' and after');
        await docSatisfies(onA.doc, () => text(onA) === 'typed on the doomed process and after', 'the later edit on A');
        const gone = [unloaded(a, fixture.docName), unloaded(b, fixture.docName)];
        closeClients();
        await Promise.all(gone);
        expect(await stored(a, fixture.docName)).toBe('typed on the doomed process and after');
      } finally {
        await balancer.close();
      }
    });

    it('(closed gracefully) hands its clients to another with nothing lost', async () => {
      const fixture = await createReportFixture(a);
      const c = await startNode(shared.uri, redis.url, 'node-c');
      let alive = true;
      const balancer = await startBalancer(() => (alive ? [c.port, b.port] : [b.port]));
      try {
        const onA = connect(a.url, fixture);
        const moving = connect(balancer.url, fixture);
        await Promise.all([synced(onA), synced(moving)]);
        moving.doc.getText('t').insert(0, 'on C');
        await docSatisfies(onA.doc, () => text(onA) === 'on C', 'C’s edit on A');
        await c.close();
        alive = false;
        moving.doc.getText('t').insert(4, ', then B');
        await docSatisfies(onA.doc, () => text(onA) === 'on C, then B', 'the edit after the move on A');
        const gone = [unloaded(a, fixture.docName), unloaded(b, fixture.docName)];
        closeClients();
        await Promise.all(gone);
        expect(await stored(a, fixture.docName)).toBe('on C, then B');
      } finally {
        await balancer.close();
        await c.close();
      }
    });
  });
});
