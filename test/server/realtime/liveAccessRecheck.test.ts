import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { announceAccessChange } from '../../../server/commands/access/accessChanges.js';
import type { RunningGodo } from '../../../server/index.js';
import type { CommentDto } from '../../../shared/schemas/comment.js';
import { startTestGodo } from '../../helpers/godo.js';
import { joinMeeting, ok, setUpMeeting, type Participant } from './meetingSetup.js';
import { connectPeer, type Peer } from './peer.js';

let godo: RunningGodo;
const peers: Peer[] = [];
let setups = 0;

beforeAll(async () => {
  godo = await startTestGodo();
});
afterAll(async () => {
  for (const peer of peers) peer.close();
  await godo?.close();
});

/** A fresh call per test: memberships are changed for good here. */
const freshCall = () => setUpMeeting(godo, `lar${++setups}`);

async function inMeeting(person: Participant, callId: string) {
  const joined = await joinMeeting(godo, person, callId);
  peers.push(joined.peer);
  return joined;
}

async function subscriber(person: Participant, ...proposalIds: string[]): Promise<Peer> {
  const peer = await connectPeer(godo, person.cookie);
  peers.push(peer);
  for (const proposalId of proposalIds) expect(await peer.request('comment:subscribe', { proposalId })).toEqual({ ok: true });
  return peer;
}

async function post(person: Participant, proposalId: string, body: Record<string, unknown>): Promise<CommentDto> {
  const res = await person.api.post(`/api/proposals/${proposalId}/comments`, body);
  expect(res.status, res.text).toBe(201);
  return res.body.comment;
}

/**
 * Resolves once everything the server sent the socket before now has arrived: the server answers
 * this request after it, on the same connection (Socket.IO keeps one socket's packets in order).
 */
async function drained(peer: Peer): Promise<void> {
  await peer.request('review:unsubscribe', { callId: '0'.repeat(24) });
}

const createdIds = (peer: Peer) => peer.received.filter((r) => r.event === 'comment:created').map((r) => r.payload.comment.id);

describe('meeting: a member removed from the call', () => {
  it('is taken out (meeting:accessEnded), the others see them leave, and no later broadcast reaches them', async () => {
    const s = await freshCall();
    const pd = await inMeeting(s.pd, s.callId);
    const removed = await inMeeting(s.reviewerJst, s.callId);
    const other = await inMeeting(s.reviewerAnr, s.callId);
    const before = other.seq;

    const ended = removed.peer.waitFor('meeting:accessEnded');
    const res = await s.pd.api.delete(`/api/calls/${s.callId}/members/${s.reviewerJst.id}`);
    expect(res.status, res.text).toBe(204);
    expect(await ended).toEqual({ callId: s.callId });

    for (const peer of [pd.peer, other.peer]) {
      const attendance = await peer.waitFor('meeting:attendanceChanged', (e) => e.seq > before);
      expect(attendance.attendance.map((a) => a.userId).sort()).toEqual([s.pd.id, s.reviewerAnr.id].sort());
    }

    // A broadcast the others receive; the removed member's socket gets nothing more of the meeting.
    const { seq } = await ok(pd.peer, 'meeting:setAgenda', { callId: s.callId, proposalIds: [s.c, s.b, s.a] });
    expect((await other.peer.waitFor('meeting:agendaChanged', (e) => e.seq === seq!)).agenda.map((e) => e.proposalId)).toEqual([s.c, s.b, s.a]);
    await pd.peer.waitFor('meeting:agendaChanged', (e) => e.seq === seq!);
    await drained(removed.peer);
    expect(removed.peer.meetingEvents(s.callId).filter((r) => (r.payload.seq ?? 0) > before)).toEqual([]);

    // The PD and the other participant are untouched.
    for (const peer of [pd.peer, other.peer]) expect(peer.received.map((r) => r.event)).not.toContain('meeting:accessEnded');
  });
});

describe('meeting: a member whose role changes', () => {
  it('stays in the meeting, with the new access in what they are sent', async () => {
    const s = await freshCall();
    const pd = await inMeeting(s.pd, s.callId);
    const promoted = await inMeeting(s.reviewerJst, s.callId);
    expect(promoted.state.you.moderateMeeting).toBe(false);

    const refreshed = promoted.peer.waitFor('meeting:state', (state) => state.you.moderateMeeting);
    const asPo = (attendance: { userId: string; role: string }[]) => attendance.some((a) => a.userId === s.reviewerJst.id && a.role === 'po');
    const seenByPd = pd.peer.waitFor('meeting:attendanceChanged', (e) => asPo(e.attendance));
    const res = await s.pd.api.put(`/api/calls/${s.callId}/members`, { personId: s.reviewerJst.id, role: 'po', agency: 'JST' });
    expect(res.status, res.text).toBe(200);
    // Everyone's attendance list shows the new role, the promoted person's own state included.
    expect(asPo((await refreshed).attendance)).toBe(true);
    await seenByPd;

    // Broadcasts judge each socket by its stored access: as a programme officer they now get the
    // leave list of the item (only those who moderate it do).
    const { seq } = await ok(pd.peer, 'meeting:setCurrent', { callId: s.callId, proposalId: s.a });
    const { current } = await promoted.peer.waitFor('meeting:currentChanged', (e) => e.seq === seq!);
    expect(current && !current.conflicted ? current.mustLeave?.map((m) => m.userId) : null).toEqual([s.conflicted.id]);
    expect(promoted.peer.received.map((r) => r.event)).not.toContain('meeting:accessEnded');
    expect(pd.peer.received.map((r) => r.event)).not.toContain('meeting:accessEnded');
  });
});

describe('comments: a member removed from the call', () => {
  it('loses the subscription (comment:accessEnded) and misses the next comment others receive', async () => {
    const s = await freshCall();
    const pd = await subscriber(s.pd, s.b);
    const removed = await subscriber(s.reviewerJst, s.b);
    const other = await subscriber(s.reviewerAnr, s.b);

    const ended = removed.waitFor('comment:accessEnded');
    const res = await s.pd.api.delete(`/api/calls/${s.callId}/members/${s.reviewerJst.id}`);
    expect(res.status, res.text).toBe(204);
    expect(await ended).toEqual({ proposalId: s.b });

    const comment = await post(s.reviewerAnr, s.b, { body: 'After the removal' });
    await other.waitFor('comment:created', (e) => e.comment.id === comment.id);
    await pd.waitFor('comment:created', (e) => e.comment.id === comment.id);
    await drained(removed);
    expect(createdIds(removed)).not.toContain(comment.id);
    for (const peer of [pd, other]) expect(peer.received.map((r) => r.event)).not.toContain('comment:accessEnded');
  });
});

describe('comments: other changes', () => {
  it('moves a member whose side changed to the new side’s agency threads', async () => {
    const s = await freshCall();
    const moved = await subscriber(s.reviewerAnr, s.b);
    const observer = await subscriber(s.observer, s.b);

    const res = await s.pd.api.put(`/api/calls/${s.callId}/members`, { personId: s.reviewerAnr.id, role: 'reviewer', agency: 'JST' });
    expect(res.status, res.text).toBe(200);
    // Re-checks run one after another: once the observer's removal is answered, the move is done.
    const observerEnded = observer.waitFor('comment:accessEnded');
    expect((await s.pd.api.delete(`/api/calls/${s.callId}/members/${s.observer.id}`)).status).toBe(204);
    await observerEnded;

    const anrOnly = await post(s.officerAnr, s.b, { body: 'ANR side only', visibility: 'agency' });
    const jstOnly = await post(s.pd, s.b, { body: 'JST side only', visibility: 'agency' });
    expect((await moved.waitFor('comment:created', (e) => e.comment.id === jstOnly.id)).comment.agency).toBe('JST');
    await drained(moved);
    expect(createdIds(moved)).not.toContain(anrOnly.id);
    expect(moved.received.map((r) => r.event)).not.toContain('comment:accessEnded');
  });

  it('ends only the subscription of a proposal the person declares a conflict with', async () => {
    const s = await freshCall();
    const reviewer = await subscriber(s.reviewerJst, s.b, s.c);
    const ended = reviewer.waitFor('comment:accessEnded');
    const res = await s.reviewerJst.api.post('/api/conflicts', { proposalId: s.b, type: 'personal' });
    expect(res.status, res.text).toBe(201);
    expect(await ended).toEqual({ proposalId: s.b });

    const onC = await post(s.pd, s.c, { body: 'Still followed' });
    expect((await reviewer.waitFor('comment:created', (e) => e.comment.id === onC.id)).comment.body).toBe('Still followed');
    expect(reviewer.received.filter((r) => r.event === 'comment:accessEnded')).toHaveLength(1);
  });
});

/**
 * Runs `request` and, the moment its access read sends a membership query (so that read sees the
 * old membership), removes the member and announces it, as removeMember does. Mongoose's debug
 * hook is called synchronously as each query is sent.
 */
async function removedWhileReading<T>(callId: string, userId: string, request: () => Promise<T>): Promise<{ answer: T; raced: boolean }> {
  let raced = false;
  mongoose.set('debug', (collection: string) => {
    if (raced || collection !== 'memberships') return;
    raced = true;
    void godo.models.Membership.deleteOne({ callId, userId }).exec();
    announceAccessChange({ callId, userId });
  });
  try {
    return { answer: await request(), raced };
  } finally {
    mongoose.set('debug', false);
  }
}

describe('meeting: a join racing a removal', () => {
  it('is taken out right after a join whose access was read before the removal', async () => {
    const s = await freshCall();
    await inMeeting(s.pd, s.callId);
    const racing = await connectPeer(godo, s.reviewerJst.cookie);
    peers.push(racing);
    const ended = racing.waitFor('meeting:accessEnded');
    const { answer, raced } = await removedWhileReading(s.callId, s.reviewerJst.id, () => racing.request('meeting:join', { callId: s.callId }));
    expect(raced).toBe(true);
    // The join read the old membership and went through; the re-check queued behind it takes them out.
    expect(answer).toMatchObject({ ok: true });
    expect(await ended).toEqual({ callId: s.callId });
  });
});

describe('comments: a subscription racing a removal', () => {
  it('is refused when the removal is announced while the subscription’s access is being read', async () => {
    const s = await freshCall();
    const pd = await subscriber(s.pd, s.b);
    const racing = await connectPeer(godo, s.reviewerJst.cookie);
    peers.push(racing);
    // The moment the subscription's access read sends its membership query (so it reads the old
    // membership), the member is removed and the change announced: the re-check then finds no
    // subscription yet, so only the subscription's own second look can catch it.
    const { answer, raced } = await removedWhileReading(s.callId, s.reviewerJst.id, () => racing.request('comment:subscribe', { proposalId: s.b }));
    expect(raced).toBe(true);
    expect(answer).toMatchObject({ ok: false, error: { code: 'not_found' } });

    const comment = await post(s.reviewerAnr, s.b, { body: 'After the raced removal' });
    await pd.waitFor('comment:created', (e) => e.comment.id === comment.id);
    await drained(racing);
    expect(createdIds(racing)).not.toContain(comment.id);
  });
});
