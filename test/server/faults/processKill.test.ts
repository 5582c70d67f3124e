import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Types } from 'mongoose';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { mongoPersistence } from '../../../server/collab/mongoPersistence.js';
import type { EmbeddedServer } from '../../../server/db/embedded/server.js';
import type { RunningGodo } from '../../../server/index.js';
import { connectClient, docSatisfies, synced, within, type TestClient } from '../collab/support/clients.js';
import { createReportFixture } from '../collab/support/godoHarness.js';
import { setUpMeeting } from '../realtime/meetingSetup.js';
import type { Peer } from '../realtime/peer.js';
import { nodeEnv, redisUnavailable, startBalancer, startNode, startRedis, startSharedDb, type TestRedis } from '../scale/support/cluster.js';
import { timed } from './support/faults.js';
import { joinPatiently as joinMeeting } from './support/godoProcess.js';

// kill -9 of one of two Godo processes while four people type into one report (two through the
// doomed process) and a moderator on it records decisions: its clients reconnect, through the
// balancer, to the survivor, and every edit and every acknowledged decision is there afterwards.

const skipReason = redisUnavailable();
if (skipReason) console.warn(`[fault tests skipped] ${skipReason}`);

const CHILD = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../scale/support/clusterChild.ts');
const TOKENS_PER_HALF = 15;

/** A moderator's socket as the browser keeps it: reconnects by itself and rejoins the meeting each time. */
/** The next time `socket` emits `event` (socket.io's emitter is not a Node EventEmitter for `once`). */
function next(socket: Socket, event: string): Promise<void> {
  return new Promise((resolve) => socket.once(event, () => resolve()));
}

function reconnectingMember(url: string, cookie: string, callId: string): Socket {
  const socket = io(url, { transports: ['websocket'], extraHeaders: { cookie }, forceNew: true, reconnectionDelay: 50, reconnectionDelayMax: 200 });
  socket.on('connect', () => socket.emit('meeting:join', { callId }, () => undefined));
  return socket;
}

describe.skipIf(skipReason !== null)('kill -9 of a Godo process mid-session', () => {
  let redis: TestRedis;
  let shared: { db: EmbeddedServer; uri: string };
  let a: RunningGodo;
  let child: ChildProcess | undefined;
  const clients: TestClient[] = [];
  const peers: Peer[] = [];
  const sockets: Socket[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    shared = await startSharedDb();
    a = await startNode(shared.uri, redis.url, 'node-a');
  });
  afterAll(async () => {
    for (const client of clients) client.destroy();
    for (const peer of peers) peer.close();
    for (const socket of sockets) socket.disconnect();
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await a?.close();
    await shared?.db.close();
    await redis?.stop();
  });

  it('moves its editors and its moderator to the survivor, with every edit and every acknowledged decision kept', { timeout: 120_000 }, async () => {
    child = fork(CHILD, [], { execArgv: ['--import', 'tsx'], env: { ...process.env, ...nodeEnv(shared.uri, redis.url, 'node-k') }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const [ready] = (await within(once(child, 'message'), 'the doomed process to start', 60_000)) as [{ port: number }];
    let alive = true;
    const balancer = await startBalancer(() => (alive ? [ready.port, a.port] : [a.port]));
    try {
      const fixture = await createReportFixture(a);
      const s = await setUpMeeting(a, 'kill');
      const editors = [balancer.url, balancer.url, a.url, a.url].map((url) => {
        const client = connectClient(url, fixture.docName, fixture.cookies.reviewer);
        clients.push(client);
        return client;
      });
      await Promise.all(editors.map((editor) => synced(editor)));
      const follower = await joinMeeting(a, s.reviewerJst, s.callId);
      peers.push(follower.peer);
      const moderator = reconnectingMember(balancer.url, s.pd.cookie, s.callId);
      sockets.push(moderator);
      await within(next(moderator, 'meeting:state'), 'the moderator joined (on the doomed process)');

      const tokens: string[] = [];
      const type = (half: number) =>
        editors.forEach((editor, e) => {
          for (let n = 0; n < TOKENS_PER_HALF; n++) {
            const token = `[e${e}.${half}.${n}]`;
            tokens.push(token);
            const text = editor.doc.getText('t');
            text.insert(text.length, token);
          }
        });
      /** Records decision `i`, retrying (after the socket is back) until it is acknowledged; returns its seq. */
      const acknowledged: { outcome: string; seq: number }[] = [];
      const decide = async (i: number) => {
        const outcome = `Minute ${i}`;
        for (;;) {
          if (!moderator.connected) await within(next(moderator, 'connect'), 'the moderator to reconnect');
          try {
            const ack = (await moderator.timeout(3_000).emitWithAck('meeting:recordDecision', { callId: s.callId, proposalId: s.a, outcome })) as { ok: boolean; seq?: number };
            if (ack.ok) return acknowledged.push({ outcome, seq: ack.seq! });
          } catch {
            // No answer: the process died under the command. Whether it was stored is unknown, so it is sent again.
          }
        }
      };

      // The burst's first half, half of the minutes, then the kill while edits are still unsaved (saves are batched for 500 ms).
      type(0);
      for (let i = 0; i < 4; i++) await decide(i);
      await docSatisfies(editors[2].doc, () => tokens.every((t) => editors[2].doc.getText('t').toString().includes(t)), 'the first half everywhere');
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
      alive = false;
      const killedAt = performance.now();

      // The second half is typed while the doomed process's editors are reconnecting; the moderator goes on.
      type(1);
      for (let i = 4; i < 8; i++) await decide(i);
      const moved = Math.round(performance.now() - killedAt);

      const all = (editor: TestClient) => () => {
        const text = editor.doc.getText('t').toString();
        return tokens.every((t) => text.includes(t));
      };
      const converged = await timed(() => Promise.all(editors.map((editor, e) => docSatisfies(editor.doc, all(editor), `every edit on editor ${e}`))));
      const texts = editors.map((editor) => editor.doc.getText('t').toString());
      expect(new Set(texts).size).toBe(1);

      // Stored: the report, once its editors are gone, and every acknowledged minute.
      const unloaded = within(new Promise<void>((resolve) => a.collab.registry.on('unloaded', (name) => name === fixture.docName && resolve())), 'the report unloaded');
      for (const client of clients.splice(0)) client.destroy();
      await unloaded;
      const stored = await mongoPersistence(a.models).load(fixture.docName);
      const doc = new Y.Doc();
      if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
      for (const update of stored.updates) Y.applyUpdate(doc, update);
      expect(doc.getText('t').toString()).toBe(texts[0]);
      expect(tokens.filter((t) => !texts[0].includes(t))).toEqual([]);

      const meeting = (await a.models.Meeting.findOne({ callId: new Types.ObjectId(s.callId) }).lean())!;
      const outcomes = meeting.decisions.map((d) => d.outcome);
      expect(acknowledged.map((d) => d.outcome)).toEqual(Array.from({ length: 8 }, (_, i) => `Minute ${i}`));
      for (const { outcome } of acknowledged) expect(outcomes).toContain(outcome);
      const seqs = acknowledged.map((d) => d.seq);
      seqs.slice(1).forEach((seq, i) => expect(seq).toBeGreaterThan(seqs[i]));
      // The follower on the survivor saw the last minute.
      await within(follower.peer.waitFor('meeting:decisionRecorded', (e) => e.seq === seqs[seqs.length - 1]), 'the last minute on the follower');
      console.info(
        `[faults] Godo kill -9: ${tokens.length} edits by 4 editors (2 on the killed process), all stored; ` +
          `moderator's next 4 decisions acknowledged ${moved} ms after the kill; editors converged ${converged.ms} ms after that; ` +
          `decisions acknowledged ${acknowledged.length}, in the database ${acknowledged.filter((d) => outcomes.includes(d.outcome)).length}; writes lost: 0`,
      );
    } finally {
      await balancer.close();
    }
  });
});
