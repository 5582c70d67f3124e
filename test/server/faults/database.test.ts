import { once } from 'node:events';
import { MongoClient, ObjectId, type Binary } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { RunningGodo } from '../../../server/index.js';
import { connectClient, docSatisfies, synced, within, type TestClient } from '../collab/support/clients.js';
import { createReportFixture } from '../collab/support/godoHarness.js';
import { setUpMeeting } from '../realtime/meetingSetup.js';
import type { Peer } from '../realtime/peer.js';
import { health, healthUntil, startDbProcess, timed, type DbProcess } from './support/faults.js';
import { joinPatiently as joinMeeting, okPatiently as ok, startGodoOn } from './support/godoProcess.js';

// The database (the standalone embedded server in its own process, on disk) is SIGKILLed under a
// running Godo and restarted on the same port and data: Godo says so on /healthz, refuses requests
// with a clear 503 instead of hanging, keeps collaborative edits in memory, stores them once the
// database is back, and loses nothing it acknowledged.

const DB_NAME = 'godo_faults_db';


describe('the database connection cut and restored', () => {
  let dbp: DbProcess;
  let godo: RunningGodo;
  const clients: TestClient[] = [];
  const peers: Peer[] = [];

  beforeAll(async () => {
    dbp = await startDbProcess(DB_NAME);
    godo = await startGodoOn(dbp.uri);
  });
  afterAll(async () => {
    for (const client of clients) client.destroy();
    for (const peer of peers) peer.close();
    await godo?.close();
    await dbp?.stop();
  });

  it('reports 503 with a reason, fails requests with 503 `unavailable`, keeps and later stores edits, and loses nothing acknowledged', { timeout: 120_000 }, async () => {
    const { registry } = godo.collab;
    const fixture = await createReportFixture(godo);
    const s = await setUpMeeting(godo, 'dbcut');
    const pd = await joinMeeting(godo, s.pd, s.callId);
    peers.push(pd.peer);
    const editor = connectClient(godo.url, fixture.docName, fixture.cookies.reviewer);
    clients.push(editor);
    await synced(editor);
    const text = () => editor.doc.getText('t');

    // Acknowledged before the cut: a meeting change, a comment, a stored edit.
    const agendaAck = await ok(pd.peer, 'meeting:setCurrent', { callId: s.callId, proposalId: s.b });
    const posted = await s.reviewerJst.api.post(`/api/proposals/${s.b}/comments`, { body: 'Posted before the cut.' });
    expect(posted.status, posted.text).toBe(201);
    const firstSave = once(registry, 'saved');
    text().insert(0, 'before. ');
    await within(firstSave, 'the first edit stored');
    expect((await health(godo.url)).status).toBe(200);

    // The cut.
    await dbp.kill('SIGKILL');
    const down = await healthUntil(godo.url, (a) => a.status === 503, 'database reported unreachable');
    expect(down.body).toMatchObject({ ok: false, status: 'unavailable', reasons: ['database_unreachable'] });
    expect(down.body.database.error).toEqual(expect.any(String));
    // /livez stays 200: the process itself is fine, restarting it would not help.
    expect((await health(godo.url, '/livez')).status).toBe(200);

    // REST and socket commands fail, promptly and clearly, and the process serves on.
    const rest = await timed(() => s.reviewerJst.api.get(`/api/proposals/${s.b}/comments`));
    expect(rest.value.status, rest.value.text).toBe(503);
    expect(rest.value.body.error.code).toBe('unavailable');
    expect(rest.ms).toBeLessThan(8_000);
    const command = await timed(
      () => pd.peer.socket.timeout(10_000).emitWithAck('meeting:setCurrent', { callId: s.callId, proposalId: s.c }) as Promise<any>,
    );
    expect(command.value).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(command.ms).toBeLessThan(8_000);

    // Edits made meanwhile reach everyone connected and wait in memory; their save fails and is retried.
    const saveFailed = within(
      new Promise<void>((resolve) => registry.on('saveFailed', (name) => name === fixture.docName && resolve())),
      'a failed save while the database is away',
    );
    text().insert(text().length, 'during the outage. ');
    await saveFailed;
    const serverDoc = registry.get(fixture.docName)!.doc;
    await docSatisfies(serverDoc, () => serverDoc.getText('t').toString() === 'before. during the outage. ', 'the outage edit on the server');

    // Restored on the same port and data.
    const storedAgain = within(
      new Promise<void>((resolve) => registry.on('saved', (name) => name === fixture.docName && resolve())),
      'the outage edit stored after recovery',
      40_000,
    );
    const restart = await timed(() => dbp.restart());
    const up = await healthUntil(godo.url, (a) => a.status === 200, 'healthy again');
    const resave = await timed(() => storedAgain);
    const after = await ok(pd.peer, 'meeting:setCurrent', { callId: s.callId, proposalId: s.c });
    expect(after.seq).toBeGreaterThan(agendaAck.seq!);

    // Checked in the database itself, through a client of its own.
    const direct = new MongoClient(dbp.uri, { serverSelectionTimeoutMS: 5_000 });
    try {
      const db = direct.db(DB_NAME);
      const meeting = await db.collection('meetings').findOne({ callId: new ObjectId(s.callId) });
      expect(String(meeting!.current.proposalId)).toBe(s.c);
      expect(meeting!.seq).toBe(after.seq);
      expect(await db.collection('comments').countDocuments({ body: 'Posted before the cut.' })).toBe(1);
      const batches = await db.collection('reportUpdates').find({ docName: fixture.docName }).sort({ _id: 1 }).toArray();
      const snapshot = await db.collection<{ _id: string; state: Binary }>('reportSnapshots').findOne({ _id: fixture.docName });
      const doc = new Y.Doc();
      if (snapshot) Y.applyUpdate(doc, snapshot.state.buffer);
      for (const batch of batches) for (const update of batch.updates as Binary[]) Y.applyUpdate(doc, update.buffer);
      expect(doc.getText('t').toString()).toBe('before. during the outage. ');
    } finally {
      await direct.close();
    }
    console.info(
      `[faults] database SIGKILL: unhealthy reported after ${down.afterMs} ms; REST failed in ${rest.ms} ms, socket command in ${command.ms} ms; ` +
        `database restart ${restart.ms} ms, healthy ${up.afterMs} ms after it listened; ` +
        `outage edit stored ${resave.ms} ms after health returned; writes lost: 0`,
    );
  });
});
