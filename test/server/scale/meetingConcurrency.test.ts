import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedServer } from '../../../server/db/embedded/server.js';
import type { RunningGodo } from '../../../server/index.js';
import type { MeetingState } from '../../../shared/realtime/meetingState.js';
import { within } from '../collab/support/clients.js';
import { setUpMeeting } from '../realtime/meetingSetup.js';
import { joinPatiently as joinMeeting, okPatiently as ok } from '../faults/support/godoProcess.js';
import type { Peer } from '../realtime/peer.js';
import { adaptersMeet, redisUnavailable, startNode, startRedis, startSharedDb, type TestRedis } from './support/cluster.js';

// Two moderators on two processes change one meeting at the same moment, over and over: every
// change is kept (compare-and-set on the meeting's version, retried on fresh state), every
// acknowledged change has its own seq, seqs only grow, and followers on both processes, which may
// get the two processes' events out of order, resync on each gap and end in the state MongoDB holds.

const skipReason = redisUnavailable();
if (skipReason) console.warn(`[scale tests skipped] ${skipReason}`);

const ROUNDS = 12;

/** What a client does with meeting events (as client/features/meeting/meetingSession.ts): in seq order, `meeting:sync` on a gap. */
function follow(peer: Peer, callId: string, initial: MeetingState) {
  let state = initial;
  let syncing = false;
  let gaps = 0;
  const waiters: { check: () => boolean; resolve: () => void }[] = [];
  const changed = () => {
    for (const waiter of waiters.splice(0)) if (!waiter.check()) waiters.push(waiter);
    else waiter.resolve();
  };
  peer.socket.on('meeting:state', (next: MeetingState) => {
    if (next.callId !== callId) return;
    state = next;
    syncing = false;
    changed();
  });
  peer.socket.onAny((event: string, e: any) => {
    if (!event.startsWith('meeting:') || event === 'meeting:state' || event === 'meeting:leaveRequested' || e?.callId !== callId) return;
    if (e.seq <= state.seq) return;
    if (e.seq > state.seq + 1) {
      gaps += 1;
      if (!syncing) {
        syncing = true;
        peer.socket.emit('meeting:sync', { callId }, () => undefined);
      }
      return;
    }
    let next: MeetingState = { ...state, seq: e.seq };
    if (event === 'meeting:timerChanged') next = { ...next, timers: [...state.timers.filter((t) => t.proposalId !== e.timer.proposalId), e.timer] };
    if (event === 'meeting:handsChanged') next = { ...next, hands: e.hands };
    if (event === 'meeting:attendanceChanged') next = { ...next, attendance: e.attendance };
    state = next;
    changed();
  });
  return {
    get state() {
      return state;
    },
    get gaps() {
      return gaps;
    },
    until(check: () => boolean, what: string) {
      return within(check() ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ check, resolve })), what);
    },
  };
}

describe.skipIf(skipReason !== null)('concurrent moderators on two processes', () => {
  let redis: TestRedis;
  let shared: { db: EmbeddedServer; uri: string };
  let a: RunningGodo;
  let b: RunningGodo;
  const peers: Peer[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    shared = await startSharedDb();
    a = await startNode(shared.uri, redis.url, 'node-a');
    b = await startNode(shared.uri, redis.url, 'node-b');
    await adaptersMeet([a, b]);
  });
  afterAll(async () => {
    for (const peer of peers) peer.close();
    await Promise.all([a?.close(), b?.close()]);
    await shared?.db.close();
    await redis?.stop();
  });

  it('lose no change, number them strictly increasing, and every follower converges on MongoDB’s state', { timeout: 120_000 }, async () => {
    const s = await setUpMeeting(a, 'cc');
    const pd = await joinMeeting(a, s.pd, s.callId);
    const officer = await joinMeeting(b, s.officerAnr, s.callId);
    const followerA = await joinMeeting(a, s.reviewerJst, s.callId);
    const followerB = await joinMeeting(b, s.reviewerAnr, s.callId);
    peers.push(pd.peer, officer.peer, followerA.peer, followerB.peer);
    const replicas = [follow(followerA.peer, s.callId, followerA.state), follow(followerB.peer, s.callId, followerB.state)];

    // The PD (on A) and the ANR officer (on B) each re-set their item's timer ROUNDS times, at the
    // same moment; each write replaces the whole `timers` array, so a lost race that was not
    // retried would drop the other's timer or bring back an old duration. The two followers raise
    // their hands meanwhile (atomic $push).
    const moderate = async (peer: Peer, proposalId: string) => {
      const seqs: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const ack = await ok(peer, 'meeting:controlTimer', { callId: s.callId, proposalId, action: 'reset', durationSeconds: 60 + round });
        seqs.push(ack.seq!);
      }
      return seqs;
    };
    const [pdSeqs, officerSeqs, handA, handB] = await Promise.all([
      moderate(pd.peer, s.c),
      moderate(officer.peer, s.b),
      ok(followerA.peer, 'meeting:raiseHand', { callId: s.callId }),
      ok(followerB.peer, 'meeting:raiseHand', { callId: s.callId }),
    ]);

    // Each moderator's own changes got growing seqs; no two acknowledged changes share one.
    for (const seqs of [pdSeqs, officerSeqs]) seqs.slice(1).forEach((seq, i) => expect(seq).toBeGreaterThan(seqs[i]));
    const all = [...pdSeqs, ...officerSeqs, handA.seq!, handB.seq!];
    expect(new Set(all).size).toBe(all.length);

    // MongoDB holds every change: both timers at their last duration, both hands.
    const stored = (await a.models.Meeting.findOne({ callId: new Types.ObjectId(s.callId) }).lean())!;
    expect(stored.seq).toBeGreaterThanOrEqual(Math.max(...all));
    const durations = Object.fromEntries(stored.timers.map((t) => [String(t.proposalId), t.durationMs]));
    expect(durations).toEqual({ [s.c]: (60 + ROUNDS - 1) * 1000, [s.b]: (60 + ROUNDS - 1) * 1000 });
    expect(stored.hands.map((h) => String(h.userId)).sort()).toEqual([s.reviewerJst.id, s.reviewerAnr.id].sort());

    // Followers on both processes reach MongoDB's seq and state, resyncing on gaps as needed.
    for (const replica of replicas) {
      await replica.until(() => replica.state.seq === stored.seq, `a follower at seq ${stored.seq}`);
      const timers = Object.fromEntries(replica.state.timers.map((t) => [t.proposalId, t.durationMs]));
      expect(timers).toEqual(durations);
      expect(replica.state.hands.map((h) => h.userId).sort()).toEqual([s.reviewerJst.id, s.reviewerAnr.id].sort());
    }
    console.info(`[meetings] ${all.length} concurrent changes from two processes, final seq ${stored.seq}; follower gaps resynced: ${replicas.map((r) => r.gaps).join('/')}`);
  });
});
