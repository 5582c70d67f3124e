import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGodo } from '../../../server/index.js';
import { startTestGodo } from '../../helpers/godo.js';
import { joinMeeting, ok, setUpMeeting, type MeetingSetup, type Participant } from './meetingSetup.js';
import { connectPeer, refusedConnection, seqsOf, type Peer } from './peer.js';

let godo: RunningGodo;
let now = new Date('2027-02-15T01:00:00Z');
const peers: Peer[] = [];

beforeAll(async () => {
  godo = await startTestGodo({ clock: () => now });
});
afterAll(async () => {
  for (const peer of peers) peer.close();
  await godo?.close();
});

async function join(setup: MeetingSetup, who: keyof MeetingSetup) {
  const joined = await joinMeeting(godo, setup[who] as Participant, setup.callId);
  peers.push(joined.peer);
  return joined;
}

describe('handshake', () => {
  it('refuses a socket without a session, with a clear error', async () => {
    const refused = await refusedConnection(godo);
    expect(refused.message).toBe('unauthenticated');
    expect(refused.data).toEqual({ code: 'unauthenticated', message: 'Sign in first' });
  });

  it('refuses a socket with a forged session cookie', async () => {
    const refused = await refusedConnection(godo, 'godo_session=forged-token');
    expect(refused.data.code).toBe('unauthenticated');
  });

  it('keeps people outside the call out of its meeting (not_found)', async () => {
    const s = await setUpMeeting(godo, 'out', now);
    const peer = await connectPeer(godo, s.outsider.cookie);
    peers.push(peer);
    const ack = await peer.request('meeting:join', { callId: s.callId });
    expect(ack).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await godo.models.Meeting.countDocuments({ callId: s.callId })).toBe(0);
  });
});

describe('following the moderator', () => {
  it('moves every follower through the agenda in order, with increasing sequence numbers and no gaps', async () => {
    const s = await setUpMeeting(godo, 'follow', now);
    const pd = await join(s, 'pd');
    expect(pd.state.agenda.map((e) => e.proposalId)).toEqual([s.a, s.b, s.c]);
    const reviewer = await join(s, 'reviewerJst');
    const observer = await join(s, 'observer');

    await ok(pd.peer, 'meeting:setAgenda', { callId: s.callId, proposalIds: [s.c, s.b, s.a] });
    await ok(pd.peer, 'meeting:setCurrent', { callId: s.callId, proposalId: s.c });
    const last = await ok(pd.peer, 'meeting:setCurrent', { callId: s.callId, proposalId: s.b });

    for (const follower of [reviewer, observer]) {
      const current = await follower.peer.waitFor('meeting:currentChanged', (e) => e.seq === last.seq);
      expect(current.current).toMatchObject({ proposalId: s.b, conflicted: false, ref: s.refs[s.b] });
      const events = follower.peer.meetingEvents(s.callId);
      const agenda = events.find((r) => r.event === 'meeting:agendaChanged')!;
      expect(agenda.payload.agenda.map((e: { proposalId: string }) => e.proposalId)).toEqual([s.c, s.b, s.a]);
      const changes = events.filter((r) => r.event === 'meeting:currentChanged').map((r) => r.payload.current.proposalId);
      expect(changes).toEqual([s.c, s.b]);
      const seqs = seqsOf(events);
      seqs.slice(1).forEach((seq, i) => expect(seq).toBe(seqs[i] + 1));
    }
  });

  it('gives a late joiner the whole current state in one message', async () => {
    const s = await setUpMeeting(godo, 'late', now);
    const pd = await join(s, 'pd');
    const reviewer = await join(s, 'reviewerJst');
    await ok(pd.peer, 'meeting:setCurrent', { callId: s.callId, proposalId: s.b });
    await ok(pd.peer, 'meeting:controlTimer', { callId: s.callId, proposalId: s.b, action: 'start', durationSeconds: 600 });
    await ok(reviewer.peer, 'meeting:raiseHand', { callId: s.callId });
    const poll = await ok<{ pollId: string; seq: number }>(pd.peer, 'meeting:openPoll', { callId: s.callId, proposalId: s.b, criterion: 'impact' });
    await ok(reviewer.peer, 'meeting:vote', { callId: s.callId, pollId: poll.pollId, value: 4 });
    const decided = await ok(pd.peer, 'meeting:recordDecision', { callId: s.callId, proposalId: s.b, outcome: 'Fund, with the budget cut by 10%' });

    const late = await join(s, 'reviewerAnr');
    const events = late.peer.meetingEvents(s.callId);
    expect(events.map((r) => r.event)).toEqual(['meeting:state']);
    expect(late.state.seq).toBe(decided.seq! + 1); // its own arrival is the one change since
    expect(late.state.current).toMatchObject({ proposalId: s.b, ref: s.refs[s.b], timer: { durationMs: 600_000, runningSince: now.toISOString() } });
    expect(late.state.hands.map((h) => h.userId)).toEqual([s.reviewerJst.id]);
    expect(late.state.polls).toHaveLength(1);
    expect(late.state.polls[0]).toMatchObject({ status: 'open', votes: 1, myVote: null });
    expect(late.state.decisions.map((d) => d.outcome)).toEqual(['Fund, with the budget cut by 10%']);
    expect(late.state.attendance.map((a) => a.userId)).toEqual([s.pd.id, s.reviewerJst.id, s.reviewerAnr.id]);
    expect(late.state.you).toMatchObject({ userId: s.reviewerAnr.id, moderateMeeting: false, moderateCurrent: false, participate: true });
  });

  it('re-sends the state on meeting:sync', async () => {
    const s = await setUpMeeting(godo, 'sync', now);
    const pd = await join(s, 'pd');
    const reviewer = await join(s, 'reviewerJst');
    const change = await ok(pd.peer, 'meeting:setCurrent', { callId: s.callId, proposalId: s.a });
    const states = reviewer.peer.received.filter((r) => r.event === 'meeting:state').length;
    const ack = await ok(reviewer.peer, 'meeting:sync', { callId: s.callId });
    expect(ack.seq).toBe(change.seq);
    const state = await reviewer.peer.waitFor('meeting:state', (e) => e.seq === change.seq);
    expect(state.current?.proposalId).toBe(s.a);
    expect(reviewer.peer.received.filter((r) => r.event === 'meeting:state')).toHaveLength(states + 1);
  });
});

describe('moderation', () => {
  it('is refused to reviewers and observers with forbidden, and changes nothing', async () => {
    const s = await setUpMeeting(godo, 'mod', now);
    const reviewer = await join(s, 'reviewerJst');
    const observer = await join(s, 'observer');
    for (const [event, payload] of [
      ['meeting:setCurrent', { callId: s.callId, proposalId: s.a }],
      ['meeting:setAgenda', { callId: s.callId, proposalIds: [s.b] }],
      ['meeting:openPoll', { callId: s.callId, proposalId: s.a, criterion: 'impact' }],
      ['meeting:recordDecision', { callId: s.callId, proposalId: s.a, outcome: 'Reject' }],
      ['meeting:controlTimer', { callId: s.callId, proposalId: s.a, action: 'start' }],
      ['meeting:clearHands', { callId: s.callId }],
    ] as const) {
      expect(await reviewer.peer.request(event, payload), event).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(await observer.peer.request('meeting:raiseHand', { callId: s.callId })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const meeting = await godo.models.Meeting.findOne({ callId: s.callId }).lean();
    expect(meeting).toMatchObject({ current: null, hands: [], polls: [], decisions: [] });
  });

  it('lets an FA officer moderate the items of their agency only, and not the agenda', async () => {
    const s = await setUpMeeting(godo, 'officer', now);
    const officer = await join(s, 'officerAnr');
    expect(await officer.peer.request('meeting:setCurrent', { callId: s.callId, proposalId: s.a })).toMatchObject({ ok: true });
    // Proposal c involves JST only: starting it would mean ending a, then moderating c.
    expect(await officer.peer.request('meeting:setCurrent', { callId: s.callId, proposalId: s.c })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await officer.peer.request('meeting:openPoll', { callId: s.callId, proposalId: s.c, criterion: 'impact' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await officer.peer.request('meeting:setAgenda', { callId: s.callId, proposalIds: [s.b, s.a] })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(officer.state.you.moderateMeeting).toBe(false);
  });
});

describe('invalid payloads', () => {
  it('get validation_failed acknowledgements (or are dropped without one) and the server keeps serving', async () => {
    const s = await setUpMeeting(godo, 'invalid', now);
    const pd = await join(s, 'pd');
    const bad: [string, unknown][] = [
      ['meeting:setCurrent', { callId: { $gt: '' }, proposalId: s.a }],
      ['meeting:setCurrent', { callId: s.callId, proposalId: s.a, extra: true }],
      ['meeting:setAgenda', { callId: s.callId, proposalIds: [s.a, s.a] }],
      ['meeting:setAgenda', { callId: s.callId, proposalIds: 'all' }],
      ['meeting:controlTimer', { callId: s.callId, proposalId: s.a, action: 'explode' }],
      ['meeting:vote', { callId: s.callId, pollId: s.a, value: 'NaN' }],
      ['meeting:join', null],
      ['meeting:join', 42],
      ['meeting:join', undefined],
      ['meeting:recordDecision', { callId: s.callId, proposalId: s.a, outcome: 'x'.repeat(5_000) }],
    ];
    for (const [event, payload] of bad) {
      const ack = await pd.peer.request(event, payload);
      expect(ack, `${event} ${JSON.stringify(payload)?.slice(0, 60)}`).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    }
    // Without an acknowledgement callback, and for events that do not exist: ignored.
    pd.peer.socket.emit('meeting:setCurrent', { callId: 'nope' });
    pd.peer.socket.emit('meeting:setCurrent');
    pd.peer.socket.emit('no:such-event', { callId: s.callId });
    expect(await pd.peer.request('meeting:setAgenda', { callId: s.callId, proposalIds: ['0123456789abcdef01234567'] })).toMatchObject({
      ok: false,
      error: { code: 'agenda_invalid' },
    });
    expect(await pd.peer.request('meeting:setCurrent', { callId: s.callId, proposalId: s.a })).toMatchObject({ ok: true });
    expect(pd.peer.socket.connected).toBe(true);
    const other = await connectPeer(godo, s.reviewerJst.cookie);
    peers.push(other);
    expect(await other.request('meeting:join', { callId: s.callId })).toMatchObject({ ok: true });
  });
});

describe('straw polls', () => {
  it('broadcast the live distribution on the criterion scale, one changeable vote each', async () => {
    const s = await setUpMeeting(godo, 'poll', now);
    const pd = await join(s, 'pd');
    const jst = await join(s, 'reviewerJst');
    const anr = await join(s, 'reviewerAnr');
    const observer = await join(s, 'observer');
    const { pollId } = await ok<{ pollId: string }>(pd.peer, 'meeting:openPoll', { callId: s.callId, proposalId: s.b, criterion: 'excellence' });
    await ok(jst.peer, 'meeting:vote', { callId: s.callId, pollId, value: 3.5 });
    await ok(anr.peer, 'meeting:vote', { callId: s.callId, pollId, value: 4 });
    const changed = await ok(jst.peer, 'meeting:vote', { callId: s.callId, pollId, value: 4 });

    const seen = await observer.peer.waitFor('meeting:pollChanged', (e) => e.seq === changed.seq);
    expect(seen.poll.values).toEqual([0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5]);
    expect(seen.poll.counts).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0]);
    expect(seen.poll.countsByAgency).toEqual({ JST: [0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0], ANR: [0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0] });
    expect(seen.poll).toMatchObject({ votes: 2, myVote: null, status: 'open', scale: { min: 0, max: 5, step: 0.5 } });
    const mine = await jst.peer.waitFor('meeting:pollChanged', (e) => e.seq === changed.seq);
    expect(mine.poll.myVote).toBe(4);

    expect(await jst.peer.request('meeting:vote', { callId: s.callId, pollId, value: 3.25 })).toMatchObject({ ok: false, error: { code: 'score_invalid_step' } });
    expect(await jst.peer.request('meeting:vote', { callId: s.callId, pollId, value: 6 })).toMatchObject({ ok: false, error: { code: 'score_out_of_range' } });
    expect(await observer.peer.request('meeting:vote', { callId: s.callId, pollId, value: 2 })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await pd.peer.request('meeting:openPoll', { callId: s.callId, proposalId: s.b, criterion: 'beauty' })).toMatchObject({ ok: false, error: { code: 'unknown_criterion' } });

    const closed = await ok(pd.peer, 'meeting:closePoll', { callId: s.callId, pollId });
    const final = await anr.peer.waitFor('meeting:pollChanged', (e) => e.seq === closed.seq);
    expect(final.poll).toMatchObject({ status: 'closed', closedAt: now.toISOString(), votes: 2 });
    expect(await anr.peer.request('meeting:vote', { callId: s.callId, pollId, value: 1 })).toMatchObject({ ok: false, error: { code: 'poll_not_open' } });
  });
});

describe('the floor', () => {
  it('queues raised hands in order, once each; the moderator calls the next and clears', async () => {
    const s = await setUpMeeting(godo, 'hands', now);
    const pd = await join(s, 'pd');
    const jst = await join(s, 'reviewerJst');
    const anr = await join(s, 'reviewerAnr');
    await ok(anr.peer, 'meeting:raiseHand', { callId: s.callId });
    await ok(jst.peer, 'meeting:raiseHand', { callId: s.callId });
    expect(await jst.peer.request('meeting:raiseHand', { callId: s.callId })).toEqual({ ok: true }); // already up: nothing changes
    const called = await ok(pd.peer, 'meeting:callNext', { callId: s.callId });
    const event = await jst.peer.waitFor('meeting:handsChanged', (e) => e.seq === called.seq);
    expect(event.called).toEqual({ userId: s.reviewerAnr.id, name: s.reviewerAnr.name });
    expect(event.hands.map((h) => h.userId)).toEqual([s.reviewerJst.id]);
    expect(await anr.peer.request('meeting:lowerHand', { callId: s.callId, userId: s.reviewerJst.id })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await ok(anr.peer, 'meeting:raiseHand', { callId: s.callId });
    const cleared = await ok(pd.peer, 'meeting:clearHands', { callId: s.callId });
    expect((await anr.peer.waitFor('meeting:handsChanged', (e) => e.seq === cleared.seq)).hands).toEqual([]);
  });
});

describe('timers', () => {
  it('count from server timestamps: start, pause with the remainder, resume', async () => {
    const s = await setUpMeeting(godo, 'timer', now);
    const pd = await join(s, 'pd');
    const jst = await join(s, 'reviewerJst');
    const startedAt = now;
    const started = await ok(pd.peer, 'meeting:controlTimer', { callId: s.callId, proposalId: s.a, action: 'start', durationSeconds: 300 });
    const running = await jst.peer.waitFor('meeting:timerChanged', (e) => e.seq === started.seq);
    expect(running.timer).toEqual({ proposalId: s.a, durationMs: 300_000, remainingMs: 300_000, runningSince: startedAt.toISOString() });
    expect(running.serverTime).toBe(startedAt.toISOString());
    now = new Date(startedAt.getTime() + 90_000);
    const paused = await ok(pd.peer, 'meeting:controlTimer', { callId: s.callId, proposalId: s.a, action: 'pause' });
    expect((await jst.peer.waitFor('meeting:timerChanged', (e) => e.seq === paused.seq)).timer).toMatchObject({ remainingMs: 210_000, runningSince: null });
    const resumed = await ok(pd.peer, 'meeting:controlTimer', { callId: s.callId, proposalId: s.a, action: 'start' });
    expect((await jst.peer.waitFor('meeting:timerChanged', (e) => e.seq === resumed.seq)).timer).toMatchObject({
      remainingMs: 210_000,
      runningSince: now.toISOString(),
    });
  });
});

describe('attendance', () => {
  it('counts a person once however many sockets they have, with agency and time zone', async () => {
    const s = await setUpMeeting(godo, 'attend', now);
    await godo.models.Membership.updateOne({ callId: s.callId, userId: s.reviewerAnr.id }, { $set: { timeZone: 'Europe/Paris' } });
    const pd = await join(s, 'pd');
    const first = await join(s, 'reviewerAnr');
    const arrived = await pd.peer.waitFor('meeting:attendanceChanged', (e) => e.seq === first.seq);
    expect(arrived.attendance.find((a) => a.userId === s.reviewerAnr.id)).toMatchObject({ agency: 'ANR', timeZone: 'Europe/Paris', role: 'reviewer' });
    const second = await join(s, 'reviewerAnr');
    expect(second.seq).toBe(first.seq); // a second tab is no change
    expect(second.state.attendance.filter((a) => a.userId === s.reviewerAnr.id)).toHaveLength(1);
    first.peer.close();
    // Still present through the second socket: the next change anyone sees is the pd's own.
    const next = await ok(pd.peer, 'meeting:raiseHand', { callId: s.callId });
    expect(next.seq).toBe(first.seq + 1);
    second.peer.close();
    const left = await pd.peer.waitFor('meeting:attendanceChanged', (e) => !e.attendance.some((a) => a.userId === s.reviewerAnr.id));
    expect(left.seq).toBe(next.seq! + 1);
    expect(left.attendance.map((a) => a.userId)).toEqual([s.pd.id]);
  });
});
