import { once } from 'node:events';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createCollabServer, type CollabServer } from '../../../server/collab/collabServer.js';
import { bytesOf } from '../../../server/collab/mongoPersistence.js';
import type { RunningGodo } from '../../../server/index.js';
import { connectClient, docSatisfies, synced, within, type TestClient } from '../collab/support/clients.js';
import { createReportFixture } from '../collab/support/godoHarness.js';
import { healthUntil, startDbProcess, timed, type DbProcess } from './support/faults.js';
import { startGodoOn } from './support/godoProcess.js';

// Edits made while the database is away wait in memory, and their save retries with backoff (up
// to 30 s in production). Once the database answers again they must be stored at once, not at the
// end of the backoff: the collaboration server here backs off a whole minute, and the edit must
// still be stored within seconds of the database's return.

const DB_NAME = 'godo_faults_save_retry';
const LONG_BACKOFF = { saveDelayMs: 20, retryBaseMs: 60_000, retryMaxMs: 60_000 };

describe('failed saves after the database returns', () => {
  let dbp: DbProcess;
  let godo: RunningGodo;
  let collab: CollabServer;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    dbp = await startDbProcess(DB_NAME);
    godo = await startGodoOn(dbp.uri);
    // Godo's own collaboration server, replaced by one with the long backoff on the same HTTP server.
    await godo.collab.close();
    collab = createCollabServer({ httpServer: godo.server, models: godo.models, logger: pino({ level: 'silent' }), clock: () => new Date(), limits: LONG_BACKOFF });
  });
  afterAll(async () => {
    for (const client of clients) client.destroy();
    await collab?.close();
    await godo?.close();
    await dbp?.stop();
  });

  it('stores the edits held in memory as soon as the database is reachable again, not after the backoff', { timeout: 90_000 }, async () => {
    const { registry } = collab;
    const fixture = await createReportFixture(godo);
    const editor = connectClient(godo.url, fixture.docName, fixture.cookies.reviewer);
    clients.push(editor);
    await synced(editor);
    const text = editor.doc.getText('t');
    const firstSave = once(registry, 'saved');
    text.insert(0, 'before. ');
    await within(firstSave, 'the first edit stored');

    await dbp.kill('SIGKILL');
    await healthUntil(godo.url, (a) => a.status === 503, 'database reported unreachable');
    const saveFailed = within(
      new Promise<void>((resolve) => registry.on('saveFailed', (name) => name === fixture.docName && resolve())),
      'a failed save while the database is away',
    );
    text.insert(text.length, 'during the outage. ');
    await saveFailed;
    expect(registry.stats().failingDocuments).toBe(1);

    // The next retry is a minute away; the database comes back now.
    const storedAgain = new Promise<void>((resolve) => registry.on('saved', (name) => name === fixture.docName && resolve()));
    await dbp.restart();
    const up = await healthUntil(godo.url, (a) => a.status === 200, 'healthy again');
    const resave = await timed(() => within(storedAgain, 'the outage edit stored after the database returned', 20_000));
    expect(registry.stats().failingDocuments).toBe(0);

    // What the database holds (read back through Godo's models) is the whole text.
    const [rows, snapshot] = await Promise.all([
      godo.models.ReportUpdate.find({ docName: fixture.docName }).sort({ _id: 1 }).lean(),
      godo.models.ReportSnapshot.findById(fixture.docName).lean(),
    ]);
    const stored = new Y.Doc();
    if (snapshot) Y.applyUpdate(stored, bytesOf(snapshot.state));
    for (const row of rows) for (const update of row.updates) Y.applyUpdate(stored, bytesOf(update));
    await docSatisfies(stored, () => stored.getText('t').toString() === 'before. during the outage. ', 'the outage edit in the database');
    console.info(`[faults] save retry: healthy ${up.afterMs} ms after it listened; outage edit stored ${resave.ms} ms after health returned (backoff 60 s)`);
  });
});
