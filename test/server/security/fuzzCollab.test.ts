import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { mongoPersistence } from '../../../server/collab/mongoPersistence.js';
import type { EmbeddedServer } from '../../../server/db/embedded/server.js';
import type { RunningGodo } from '../../../server/index.js';
import { COLLAB_CLOSE_CODES, COLLAB_MESSAGE, MAX_FRAME_BYTES } from '../../../shared/collab.js';
import { connectClient, docSatisfies, rawSocket, synced, within, type TestClient } from '../collab/support/clients.js';
import { createReportFixture, type ReportFixture } from '../collab/support/godoHarness.js';
import { redisUnavailable, startNode, startRedis, startSharedDb, type TestRedis } from '../scale/support/cluster.js';
import { FUZZ_SEED, prng, type Prng } from './support/fuzz.js';

/*
 * Malformed and oversized collaboration frames, seeded, sent by a signed-in editor to process A of
 * two Godo processes sharing MongoDB and Redis, while two honest editors (one on A, one on B) keep
 * typing: each hostile connection is closed with malformedFrame / frameTooLarge (or its frame is
 * harmless), the honest editors converge after every round, and what is stored is their text only.
 */

const skipReason = redisUnavailable();
if (skipReason) console.warn(`[collab fuzz skipped] ${skipReason}`);
const FRAMES = Number(process.env.FUZZ_FRAMES ?? 120);

const message = (...parts: ((e: encoding.Encoder) => void)[]) => {
  const encoder = encoding.createEncoder();
  for (const part of parts) part(encoder);
  return encoding.toUint8Array(encoder);
};
const randomBytes = (rng: Prng, length: number) => Uint8Array.from({ length }, () => rng.int(256));

/** One hostile frame: its label and bytes (or text, for a text frame). */
function hostileFrame(rng: Prng): { label: string; frame: Uint8Array | string } {
  const garbage = randomBytes(rng, 1 + rng.int(64));
  const sync = (kind: number, payload: Uint8Array) =>
    message((e) => encoding.writeVarUint(e, COLLAB_MESSAGE.sync), (e) => encoding.writeVarUint(e, kind), (e) => encoding.writeVarUint8Array(e, payload));
  switch (rng.int(11)) {
    case 0:
      return { label: 'random bytes', frame: garbage };
    case 1:
      return { label: 'sync update with garbage update bytes', frame: sync(syncProtocol.messageYjsUpdate, garbage) };
    case 2:
      return { label: 'sync step 2 with garbage', frame: sync(syncProtocol.messageYjsSyncStep2, garbage) };
    case 3:
      return { label: 'sync step 1 with a garbage state vector', frame: sync(syncProtocol.messageYjsSyncStep1, garbage) };
    case 4:
      return { label: 'unknown sync sub-type', frame: sync(7 + rng.int(100), garbage) };
    case 5:
      return { label: 'unknown message type', frame: message((e) => encoding.writeVarUint(e, 4 + rng.int(1000)), (e) => encoding.writeUint8Array(e, garbage)) };
    case 6:
      return { label: 'length prefix far beyond the frame', frame: message((e) => encoding.writeVarUint(e, COLLAB_MESSAGE.sync), (e) => encoding.writeVarUint(e, 2), (e) => encoding.writeVarUint(e, 0x7fffffff)) };
    case 7:
      return { label: 'awareness with garbage', frame: message((e) => encoding.writeVarUint(e, COLLAB_MESSAGE.awareness), (e) => encoding.writeVarUint8Array(e, garbage)) };
    case 8:
      return { label: 'truncated varint', frame: Uint8Array.from([0x80, 0x80, 0x80]) };
    case 9:
      return { label: 'text frame', frame: 'not binary \uD800' };
    default:
      return { label: 'frame above the limit', frame: new Uint8Array(MAX_FRAME_BYTES + 1 + rng.int(1024)) };
  }
}

describe.skipIf(skipReason !== null)('hostile collaboration frames on one of two processes', () => {
  let redis: TestRedis;
  let shared: { db: EmbeddedServer; uri: string };
  let a: RunningGodo;
  let b: RunningGodo;
  let fixture: ReportFixture;
  let onA: TestClient;
  let onB: TestClient;
  const closes = new Map<number, number>();
  let sent = 0;

  beforeAll(async () => {
    redis = await startRedis();
    shared = await startSharedDb();
    a = await startNode(shared.uri, redis.url, 'fuzz-a');
    b = await startNode(shared.uri, redis.url, 'fuzz-b');
    fixture = await createReportFixture(a);
    onA = connectClient(a.url, fixture.docName, fixture.cookies.reviewer);
    onB = connectClient(b.url, fixture.docName, fixture.cookies.po);
    await Promise.all([synced(onA), synced(onB)]);
  }, 60_000);

  afterAll(async () => {
    console.info(`collab fuzz (seed ${FUZZ_SEED}): ${sent} hostile frames on process A; outcomes by close code (0: harmless, answered) ${JSON.stringify(Object.fromEntries(closes))}`);
    onA?.destroy();
    onB?.destroy();
    await Promise.all([a?.close(), b?.close()]);
    await shared?.db.close();
    await redis?.stop();
  });

  it('closes only the hostile connections, and the editors on A and B keep converging', async () => {
    const rng = prng(FUZZ_SEED + 7);
    const allowed: number[] = [COLLAB_CLOSE_CODES.malformedFrame, COLLAB_CLOSE_CODES.frameTooLarge, 1009];
    const problems: string[] = [];
    let expected = '';
    const probe = encoding.createEncoder();
    encoding.writeVarUint(probe, COLLAB_MESSAGE.sync);
    syncProtocol.writeSyncStep1(probe, new Y.Doc());
    const probeFrame = encoding.toUint8Array(probe);
    for (let round = 0; sent < FRAMES; round++) {
      // One hostile frame per fresh connection as the reviewer (an editor: only the frame stands in the
      // way), then a SyncStep1: the server either closes the connection or, the frame handled as
      // harmless, answers the probe (it handles a connection's frames in order).
      const raw = await rawSocket(a.url, fixture.docName, fixture.cookies.reviewer);
      const { label, frame } = hostileFrame(rng);
      sent += 1;
      raw.ws.send(frame, { binary: typeof frame !== 'string' });
      raw.ws.send(probeFrame);
      const answered = (async () => {
        for (;;) {
          const reply = await raw.nextFrame();
          if (reply[0] === COLLAB_MESSAGE.sync && reply[1] === syncProtocol.messageYjsSyncStep2) return 'answered' as const;
        }
      })();
      const outcome = await Promise.race([raw.closed.then(({ code }) => code), answered]);
      closes.set(outcome === 'answered' ? 0 : outcome, (closes.get(outcome === 'answered' ? 0 : outcome) ?? 0) + 1);
      if (outcome !== 'answered' && !allowed.includes(outcome)) problems.push(`frame ${round} (${label}): closed with ${outcome}`);
      if (outcome === 'answered') {
        raw.ws.close();
        await raw.closed;
      }
      if (round % 10 !== 9) continue;
      // Every ten frames the honest editors type, one on each process, and must see each other's words.
      const word = `r${round} `;
      (round % 20 === 9 ? onB : onA).doc.getText('t').insert(0, word);
      expected = word + expected;
      for (const editor of [onA, onB]) await docSatisfies(editor.doc, () => editor.doc.getText('t').toString() === expected, `round ${round} converges`);
    }
    expect(problems).toEqual([]);
    expect(onA.provider.wsconnected && onB.provider.wsconnected).toBe(true);

    // What is stored is the honest text: nothing a hostile frame carried.
    onA.destroy();
    onB.destroy();
    const unloaded = (node: RunningGodo) =>
      node.collab.registry.names().includes(fixture.docName)
        ? within(new Promise<void>((resolve) => node.collab.registry.on('unloaded', (name: string) => name === fixture.docName && resolve())), 'unloaded')
        : Promise.resolve();
    await Promise.all([unloaded(a), unloaded(b)]);
    const stored = await mongoPersistence(a.models).load(fixture.docName);
    const doc = new Y.Doc();
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
    for (const update of stored.updates) Y.applyUpdate(doc, update);
    expect(doc.getText('t').toString()).toBe(expected);
  }, 300_000);
});
