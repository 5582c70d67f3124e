import * as encoding from 'lib0/encoding';
import { Types } from 'mongoose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { bytesOf } from '../../../server/collab/mongoPersistence.js';
import type { RunningGodo } from '../../../server/index.js';
import { COLLAB_CLOSE_CODES, COLLAB_MESSAGE, reportDocName } from '../../../shared/collab.js';
import { startTestGodo } from '../../helpers/godo.js';
import { connectClient, docSatisfies, flushedThroughServer, rawSocket, synced, within, type TestClient } from '../collab/support/clients.js';
import { createReportFixture, type ReportFixture } from '../collab/support/godoHarness.js';

/*
 * Every kind of collaboration document name, tried by a reviewer conflicted with the proposal, an
 * observer and a member of another call: closed at once with the right code and not one frame of
 * the document sent; the observer alone gets in, read-only, and even hand-made update frames from
 * them never reach the other editors or the database.
 */

let godo: RunningGodo;
let mine: ReportFixture;
let theirs: ReportFixture;
const clients: TestClient[] = [];
let attempts = 0;

beforeAll(async () => {
  godo = await startTestGodo();
  mine = await createReportFixture(godo);
  theirs = await createReportFixture(godo);
});
afterAll(async () => {
  console.info(`collab access: ${attempts} connection attempts`);
  await godo?.close();
});
afterEach(() => {
  for (const c of clients.splice(0)) c.destroy();
});

/** Opens a raw websocket to `/collab/<name>` (already encoded) and returns its close code, checking no frame came. */
async function closeCode(name: string, cookie: string): Promise<number> {
  attempts += 1;
  const socket = await rawSocket(godo.url, name, cookie);
  const { code } = await socket.closed;
  expect(socket.frames, name).toEqual([]);
  return code;
}

const NOT_FOUND = COLLAB_CLOSE_CODES.notFound;

describe('document names nobody of the three may open', () => {
  const names = (): [string, string][] => [
    ['another call’s report', reportDocName(theirs.proposalId)],
    ['a nonexistent proposal', reportDocName(String(new Types.ObjectId()))],
    ['a report with an upper-case id', reportDocName(theirs.proposalId.toUpperCase())],
    ['a report id one character short', `report:${theirs.proposalId.slice(1)}`],
    ['a report id with a trailing character', `${reportDocName(theirs.proposalId)}0`],
    ['no id', 'report:'],
    ['an unknown kind', `review:${theirs.proposalId}`],
    ['an operator object', encodeURIComponent(`report:{"$ne":null}`)],
    ['__proto__', '__proto__'],
    ['constructor', 'constructor'],
    ['a NUL byte', encodeURIComponent(`report:${theirs.proposalId}\u0000`)],
    ['a path traversal', `..%2F..%2F${reportDocName(theirs.proposalId)}`],
    ['an extra path segment', `${reportDocName(theirs.proposalId)}/x`],
    ['broken percent-encoding', 'report%E0%A4%A'],
    ['a lone surrogate, UTF-8 encoded', 'report%3A%ED%A0%80'],
    ['a 4,000-character name', `report:${'a'.repeat(4_000)}`],
  ];

  for (const who of ['conflicted', 'observer', 'outsider', 'reviewer'] as const) {
    it(`${who}: every one is closed with notFound and nothing sent`, async () => {
      const codes = [];
      for (const [label, name] of names()) codes.push([label, await closeCode(name, mine.cookies[who])]);
      expect(codes.filter(([, code]) => code !== NOT_FOUND)).toEqual([]);
    });
  }

  it('the conflicted reviewer and a member of another call cannot open the report either (notFound, as if it did not exist)', async () => {
    expect(await closeCode(mine.docName, mine.cookies.conflicted)).toBe(NOT_FOUND);
    expect(await closeCode(mine.docName, theirs.cookies.po)).toBe(NOT_FOUND);
    expect(await closeCode(mine.docName, theirs.cookies.observer)).toBe(NOT_FOUND);
    expect(await closeCode(mine.docName, 'godo_session=forged')).toBe(COLLAB_CLOSE_CODES.unauthenticated);
  });
});

describe('the observer', () => {
  it('reads the report live, but update frames they craft by hand reach neither the editors nor the database', async () => {
    const reviewer = connectClient(godo.url, mine.docName, mine.cookies.reviewer);
    const reader = connectClient(godo.url, mine.docName, mine.cookies.observer);
    clients.push(reviewer, reader);
    await Promise.all([synced(reviewer), synced(reader)]);
    reviewer.doc.getText('t').insert(0, 'reviewer text');
    await docSatisfies(reader.doc, () => reader.doc.getText('t').toString() === 'reviewer text', 'observer reads');

    // A raw socket as the observer, speaking the protocol directly: SyncStep2 and Update messages.
    const raw = await rawSocket(godo.url, mine.docName, mine.cookies.observer);
    const forged = new Y.Doc();
    forged.getText('t').insert(0, 'OBSERVER WAS HERE ');
    const update = Y.encodeStateAsUpdate(forged);
    for (const kind of [syncProtocol.messageYjsSyncStep2, syncProtocol.messageYjsUpdate]) {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, COLLAB_MESSAGE.sync);
      encoding.writeVarUint(encoder, kind);
      encoding.writeVarUint8Array(encoder, update);
      raw.ws.send(encoding.toUint8Array(encoder));
    }
    // The server handles one connection's frames in order: its answer to a SyncStep1 sent after the
    // forged frames means those were handled (and anything they caused was broadcast before it).
    const probe = encoding.createEncoder();
    encoding.writeVarUint(probe, COLLAB_MESSAGE.sync);
    syncProtocol.writeSyncStep1(probe, new Y.Doc());
    raw.ws.send(encoding.toUint8Array(probe));
    for (;;) {
      const frame = await raw.nextFrame();
      if (frame[0] === COLLAB_MESSAGE.sync && frame[1] === syncProtocol.messageYjsSyncStep2) break;
    }
    await flushedThroughServer(reader, reviewer, 1);
    expect(reviewer.doc.getText('t').toString()).toBe('reviewer text');
    raw.ws.close();

    const unloaded = new Promise((resolve) => godo.collab.registry.once('unloaded', resolve));
    reviewer.provider.disconnect();
    reader.provider.disconnect();
    await within(unloaded, 'unload');
    const stored = new Y.Doc();
    for (const row of await godo.models.ReportUpdate.find({ docName: mine.docName }).lean()) {
      for (const bytes of row.updates) Y.applyUpdate(stored, bytesOf(bytes));
    }
    const snapshot = await godo.models.ReportSnapshot.findById(mine.docName).lean();
    if (snapshot?.state) Y.applyUpdate(stored, bytesOf(snapshot.state));
    expect(stored.getText('t').toString()).toBe('reviewer text');
  });
});
