import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { mongoPersistence } from '../../../server/collab/mongoPersistence.js';
import type { RunningGodo } from '../../../server/index.js';
import { COLLAB_CLOSE_CODES } from '../../../shared/collab.js';
import { connectClient, docSatisfies, providerClosed, synced, within, type TestClient } from '../collab/support/clients.js';
import { createReportFixture } from '../collab/support/godoHarness.js';
import { setUpMeeting } from '../realtime/meetingSetup.js';
import { freePort } from '../scale/support/cluster.js';
import { health, healthUntil, startDbProcess, timed, type DbProcess } from './support/faults.js';
import { faultEnv, joinPatiently as joinMeeting, startGodoOn } from './support/godoProcess.js';

// SIGTERM to a real `node server/index.ts` process: /healthz answers 503 "draining" from the moment
// the signal arrives, while the process finishes what it holds (here an edit whose save is stuck on
// a frozen database), closes collaboration sockets with the shutting-down code and Socket.IO
// sockets, and exits 0 once the edit is stored.

const INDEX = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../server/index.ts');

describe('graceful shutdown (SIGTERM)', () => {
  let dbp: DbProcess;
  let helper: RunningGodo;
  let child: ChildProcess | undefined;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    dbp = await startDbProcess('godo_faults_shutdown');
    // Creates the people and documents (in the shared database) for the process under test.
    helper = await startGodoOn(dbp.uri);
  });
  afterAll(async () => {
    for (const client of clients) client.destroy();
    dbp?.resume();
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await helper?.close();
    await dbp?.stop();
  });

  it('answers 503 draining at once, finishes stored work, closes sockets with the shutting-down code, exits 0', { timeout: 120_000 }, async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    child = fork(INDEX, [], { execArgv: ['--import', 'tsx'], env: { ...process.env, ...faultEnv(dbp.uri), PORT: String(port) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const exited = once(child, 'exit');
    await healthUntil(url, (a) => a.status === 200, 'the process to serve', 60_000);
    expect((await health(url, '/readyz')).status).toBe(200);

    const fixture = await createReportFixture(helper);
    const s = await setUpMeeting(helper, 'term');
    const member = await joinMeeting({ url }, s.pd, s.callId);
    const socketGone = new Promise<string>((resolve) => member.peer.socket.once('disconnect', (reason) => resolve(reason)));
    const editor = connectClient(url, fixture.docName, fixture.cookies.reviewer);
    clients.push(editor);
    await synced(editor);

    // The database freezes (SIGSTOP): the edit below can be applied but not stored.
    dbp.pause();
    editor.doc.getText('t').insert(0, 'typed just before the stop');
    const closed = providerClosed(editor);
    const signalled = performance.now();
    child.kill('SIGTERM');
    const draining = await healthUntil(url, (a) => a.status === 503 && a.body.draining, 'draining');
    const drainMs = Math.round(performance.now() - signalled);
    expect(draining.body.reasons).toContain('draining');
    expect(draining.body.status).toBe('draining');
    // Liveness stays up while draining: the orchestrator must let it finish, not restart it.
    expect((await health(url, '/livez')).body).toEqual({ ok: true, draining: true });

    expect((await closed).code).toBe(COLLAB_CLOSE_CODES.shuttingDown);
    expect(await within(socketGone, 'the Socket.IO disconnect')).toBe('io server disconnect');
    // Still running: its edit is not stored yet.
    expect(child.exitCode).toBeNull();

    dbp.resume();
    const exit = await timed(() => within(exited, 'the process to exit', 30_000));
    expect(exit.value).toEqual([0, null]);

    const stored = await mongoPersistence(helper.models).load(fixture.docName);
    const doc = new Y.Doc();
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
    for (const update of stored.updates) Y.applyUpdate(doc, update);
    await docSatisfies(doc, () => doc.getText('t').toString() === 'typed just before the stop', 'the edit stored');
    console.info(`[faults] SIGTERM: /healthz 503 draining ${drainMs} ms after the signal; exited 0 ${exit.ms} ms after the database thawed; edits lost: 0`);
  });
});
