import mongoose from 'mongoose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGodo } from '../../../server/index.js';
import type { Ack } from '../../../shared/realtime/events.js';
import { startTestGodo } from '../../helpers/godo.js';
import { joinMeeting, ok, participant, setUpMeeting, type MeetingSetup, type Participant } from './meetingSetup.js';
import type { Peer } from './peer.js';

const PANELLISTS = 30;

let godo: RunningGodo;
let s: MeetingSetup;
const now = new Date('2027-02-15T01:00:00Z');
const peers: Peer[] = [];
let panel: { person: Participant; peer: Peer }[] = [];
let pd: Peer;
let observer: Peer;
let conflicted: Peer;

beforeAll(async () => {
  godo = await startTestGodo({ clock: () => now });
  s = await setUpMeeting(godo, 'votes', now);
  const people = await Promise.all(
    Array.from({ length: PANELLISTS }, (_, i) => participant(godo, s.callId, `votes-panel-${i}`, 'reviewer', i % 2 ? 'ANR' : 'JST', now)),
  );
  const join = async (person: Participant) => {
    const { peer } = await joinMeeting(godo, person, s.callId);
    peers.push(peer);
    return peer;
  };
  pd = await join(s.pd);
  observer = await join(s.observer);
  conflicted = await join(s.conflicted);
  panel = [];
  for (const person of people) panel.push({ person, peer: await join(person) });
});
afterEach(() => {
  mongoose.set('debug', false);
});
afterAll(async () => {
  for (const peer of peers) peer.close();
  await godo?.close();
});

const READ_METHODS = new Set(['find', 'findOne', 'countDocuments', 'estimatedDocumentCount', 'distinct', 'aggregate']);

/**
 * Counts, until `mongoose.set('debug', false)`, the meeting writes that set votes (one per vote
 * before batching) and every database read (about ten per voter when each vote was checked alone).
 */
function countVoteWrites(): { count: number; reads: number; readsBy: Record<string, number> } {
  const writes = { count: 0, reads: 0, readsBy: {} as Record<string, number> };
  mongoose.set('debug', (collection: string, method: string, _filter: unknown, update: unknown) => {
    if (collection === 'meetings' && method === 'findOneAndUpdate' && JSON.stringify(update ?? {}).includes('polls.$.votes.')) writes.count += 1;
    if (READ_METHODS.has(method)) {
      writes.reads += 1;
      writes.readsBy[`${collection}.${method}`] = (writes.readsBy[`${collection}.${method}`] ?? 0) + 1;
    }
  });
  return writes;
}

/** A mark on the 0–5 half-mark scale of `excellence`, different across panellists. */
const markOf = (i: number) => (i % 11) / 2;

/** Sends without awaiting: everything emitted in one tick reaches the server as one burst. */
const send = (peer: Peer, event: string, payload: unknown) => peer.request<{ seq?: number; pollId?: string }>(event, payload);

describe('a storm of simultaneous votes', () => {
  it('acknowledges every vote, shows everyone all of them, and writes the meeting a handful of times', async () => {
    const { pollId } = await ok<{ pollId: string }>(pd, 'meeting:openPoll', { callId: s.callId, proposalId: s.b, criterion: 'excellence' });
    const writes = countVoteWrites();
    const acks = await Promise.all(panel.map(({ peer }, i) => send(peer, 'meeting:vote', { callId: s.callId, pollId, value: markOf(i) })));
    mongoose.set('debug', false);

    for (const ack of acks) expect(ack).toMatchObject({ ok: true, pollId, seq: expect.any(Number) });
    // One write per batch, each with its own seq; every voter is told the seq of the write holding their vote.
    const seqs = new Set(acks.map((a) => (a as { seq: number }).seq));
    expect(writes.count).toBe(seqs.size);
    // 1–2 writes here (30 one vote at a time); the bound leaves room for a loaded machine spreading
    // the arrivals over more event-loop turns (each wave of arrivals is one batch).
    expect(writes.count).toBeLessThanOrEqual(10);
    // The votes that arrive together are checked together: the poll read once, every voter's
    // access loaded at once: 12 reads, 4 of them the broadcasts' (304 when each vote was checked
    // alone: about ten per voter). About 8 reads per turn of arrivals: the bound allows ~12 turns.
    expect(writes.reads).toBeLessThanOrEqual(100);

    const expectedCounts = Array.from({ length: 11 }, (_, v) => panel.filter((_, i) => markOf(i) === v / 2).length);
    const finalSeq = Math.max(...seqs);
    for (const [index, peer] of [pd, observer, ...panel.map((p) => p.peer)].entries()) {
      const last = await peer.waitFor('meeting:pollChanged', (e) => e.poll.id === pollId && e.seq === finalSeq);
      expect(last.poll).toMatchObject({ votes: PANELLISTS, counts: expectedCounts, status: 'open' });
      if (index >= 2) expect(last.poll.myVote).toBe(markOf(index - 2));
      // The client applies events strictly in seq order: no gap, so no resync is needed.
      const pollSeqs = peer.meetingEvents(s.callId).filter((r) => r.event === 'meeting:pollChanged' && r.payload.poll.id === pollId).map((r) => r.payload.seq);
      expect(pollSeqs.slice(1).every((seq, i) => seq === pollSeqs[i] + 1)).toBe(true);
    }
    // MongoDB holds all 30 votes.
    const stored = await godo.models.Meeting.findOne({ callId: s.callId }).lean();
    expect(Object.keys(stored!.polls.find((p: { id: string }) => p.id === pollId)!.votes)).toHaveLength(PANELLISTS);
  });

  it('refuses the conflicted member, the observer and a bad mark on their own, and counts everyone else', async () => {
    const { pollId } = await ok<{ pollId: string }>(pd, 'meeting:openPoll', { callId: s.callId, proposalId: s.a, criterion: 'excellence' });
    const vote = (peer: Peer, value: number) => send(peer, 'meeting:vote', { callId: s.callId, pollId, value });
    const writes = countVoteWrites();
    const [coiAck, observerAck, outOfRange, firstOfTwo, ...panelAcks] = await Promise.all([
      vote(conflicted, 2),
      vote(observer, 2),
      vote(panel[0].peer, 7),
      vote(panel[1].peer, 1),
      ...panel.map(({ peer }, i) => vote(peer, markOf(i))),
    ]);
    mongoose.set('debug', false);

    // A conflicted member is told the item does not exist, as for any other command about it.
    expect(coiAck).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(observerAck).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(outOfRange).toMatchObject({ ok: false, error: { code: 'score_out_of_range' } });
    expect(firstOfTwo).toMatchObject({ ok: true, pollId });
    for (const ack of panelAcks) expect(ack).toMatchObject({ ok: true, pollId });
    expect(writes.count).toBeLessThanOrEqual(10);

    const finalSeq = Math.max(...[firstOfTwo, ...panelAcks].map((a) => (a as { seq: number }).seq));
    const seen = await panel[1].peer.waitFor('meeting:pollChanged', (e) => e.poll.id === pollId && e.seq === finalSeq);
    // Panellist 1 voted 1 then 0.5 in the same tick: the later one counts, as one after the other.
    expect(seen.poll).toMatchObject({ votes: PANELLISTS, myVote: markOf(1) });
    const stored = await godo.models.Meeting.findOne({ callId: s.callId }).lean();
    const votes = stored!.polls.find((p: { id: string }) => p.id === pollId)!.votes as Record<string, { value: number }>;
    expect(Object.keys(votes).sort()).toEqual(panel.map((p) => p.person.id).sort());
    expect(votes[s.conflicted.id]).toBeUndefined();
    // ...and the conflicted member never saw any of it.
    const leaked = conflicted.meetingEvents(s.callId).filter((r) => r.event === 'meeting:pollChanged' && r.payload.poll.id === pollId);
    expect(leaked).toEqual([]);
  });
});

describe('votes and the other commands of the meeting', () => {
  it('counts a vote sent before the poll is closed and refuses one sent after it, even in the same tick', async () => {
    const { pollId } = await ok<{ pollId: string }>(pd, 'meeting:openPoll', { callId: s.callId, proposalId: s.b, criterion: 'excellence' });
    // One socket keeps its order to the server. The timer keeps the meeting's queue busy, so the
    // first vote's batch is still waiting when the close and the second vote arrive: the second
    // must not join it (it would be written before the close).
    const sent: Promise<Ack<{ seq?: number }>>[] = [
      send(pd, 'meeting:controlTimer', { callId: s.callId, proposalId: s.b, action: 'start', durationSeconds: 300 }),
      send(pd, 'meeting:vote', { callId: s.callId, pollId, value: 2 }),
      send(pd, 'meeting:closePoll', { callId: s.callId, pollId }),
      send(pd, 'meeting:vote', { callId: s.callId, pollId, value: 5 }),
    ];
    const [timer, before, close, after] = await Promise.all(sent);
    expect(timer).toMatchObject({ ok: true });
    expect(before).toMatchObject({ ok: true });
    expect(close).toMatchObject({ ok: true });
    expect(after).toMatchObject({ ok: false, error: { code: 'poll_not_open' } });
    const seqOf = (ack: Ack<{ seq?: number }>) => (ack.ok ? ack.seq! : NaN);
    expect(seqOf(timer)).toBeLessThan(seqOf(before));
    expect(seqOf(before)).toBeLessThan(seqOf(close));

    const closed = await observer.waitFor('meeting:pollChanged', (e) => e.poll.id === pollId && e.seq === seqOf(close));
    expect(closed.poll).toMatchObject({ status: 'closed', votes: 1, counts: [0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0] });
  });
});
