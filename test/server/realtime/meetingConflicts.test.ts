import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGodo } from '../../../server/index.js';
import { startTestGodo } from '../../helpers/godo.js';
import { joinMeeting, ok, setUpMeeting, type MeetingSetup } from './meetingSetup.js';
import { seqsOf, type Peer } from './peer.js';

let godo: RunningGodo;
let s: MeetingSetup;
const peers: Peer[] = [];

beforeAll(async () => {
  godo = await startTestGodo();
  s = await setUpMeeting(godo, 'coi');
});
afterAll(async () => {
  for (const peer of peers) peer.close();
  await godo?.close();
});

async function join(person: MeetingSetup['pd']) {
  const joined = await joinMeeting(godo, person, s.callId);
  peers.push(joined.peer);
  return joined;
}

describe('an item a participant is conflicted with', () => {
  it('asks them to leave, shows moderators who must leave, and withholds every piece of the item from them', async () => {
    const pd = await join(s.pd);
    const reviewer = await join(s.reviewerJst);
    const coi = await join(s.conflicted);
    const outcome = 'Fund with conditions: add a data-management plan';

    const started = await ok(pd.peer, 'meeting:setCurrent', { callId: s.callId, proposalId: s.a });
    const leave = await coi.peer.waitFor('meeting:leaveRequested', (e) => e.seq === started.seq);
    // A code, not English text: the client words it in the person's language.
    expect(leave).toMatchObject({ proposalId: s.a, reason: 'conflict' });
    expect(leave).not.toHaveProperty('message');
    const moderatorView = await pd.peer.waitFor('meeting:currentChanged', (e) => e.seq === started.seq);
    expect(moderatorView.current).toMatchObject({ proposalId: s.a, conflicted: false, mustLeave: [{ userId: s.conflicted.id, present: true }] });
    const reviewerView = await reviewer.peer.waitFor('meeting:currentChanged', (e) => e.seq === started.seq);
    expect(reviewerView.current).not.toHaveProperty('mustLeave');

    // Everything about the item while it runs: timer, poll, votes, close, decision.
    await ok(pd.peer, 'meeting:controlTimer', { callId: s.callId, proposalId: s.a, action: 'start', durationSeconds: 600 });
    const { pollId } = await ok<{ pollId: string }>(pd.peer, 'meeting:openPoll', { callId: s.callId, proposalId: s.a, criterion: 'excellence' });
    await ok(reviewer.peer, 'meeting:vote', { callId: s.callId, pollId, value: 4.5 });
    await ok(pd.peer, 'meeting:closePoll', { callId: s.callId, pollId });
    await ok(pd.peer, 'meeting:recordDecision', { callId: s.callId, proposalId: s.a, outcome });

    // They cannot take part in it either, and learn nothing from trying.
    expect(await coi.peer.request('meeting:vote', { callId: s.callId, pollId, value: 1 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await coi.peer.request('meeting:raiseHand', { callId: s.callId })).toMatchObject({ ok: false, error: { code: 'not_found' } });

    const ended = await ok(pd.peer, 'meeting:setCurrent', { callId: s.callId, proposalId: s.b });
    const back = await coi.peer.waitFor('meeting:currentChanged', (e) => e.seq === ended.seq);
    expect(back.current).toMatchObject({ proposalId: s.b, conflicted: false, ref: s.refs[s.b] });
    const synced = await ok(coi.peer, 'meeting:sync', { callId: s.callId });
    const state = await coi.peer.waitFor('meeting:state', (e) => e.seq === synced.seq);

    // Every event the conflicted person received: one gap-free sequence, none carrying the item's data.
    const events = coi.peer.meetingEvents(s.callId);
    const seqs = seqsOf(events.filter((r) => r.event !== 'meeting:leaveRequested' && r.event !== 'meeting:state'));
    seqs.slice(1).forEach((seq, i) => expect(seq).toBe(seqs[i] + 1));
    const names = events.map((r) => r.event);
    expect(names.filter((n) => n === 'meeting:withheld')).toHaveLength(5); // timer, poll opened, vote, poll closed, decision
    expect(names).not.toContain('meeting:timerChanged');
    expect(names).not.toContain('meeting:pollChanged');
    expect(names).not.toContain('meeting:decisionRecorded');
    for (const { event, payload } of coi.peer.received) {
      const text = JSON.stringify(payload);
      expect(text, event).not.toContain(s.refs[s.a]);
      expect(text, event).not.toContain(s.titles[s.a]);
      expect(text, event).not.toContain(pollId);
      expect(text, event).not.toContain(outcome);
      expect(text, event).not.toContain('excellence');
    }
    expect(state.agenda.find((e) => e.proposalId === s.a)).toEqual({ proposalId: s.a, conflicted: true });
    expect(state.polls).toEqual([]);
    expect(state.decisions).toEqual([]);
    expect(state.timers.map((t) => t.proposalId)).not.toContain(s.a);

    // The others saw it all.
    expect((await reviewer.peer.waitFor('meeting:decisionRecorded')).decision).toMatchObject({ proposalId: s.a, outcome });
  });

  it('tells a conflicted late joiner to leave, in the state and with a notice', async () => {
    const pd = await join(s.pd);
    await ok(pd.peer, 'meeting:setCurrent', { callId: s.callId, proposalId: s.a });
    const late = await join(s.conflicted);
    expect(late.state.current).toEqual({ proposalId: s.a, conflicted: true, startedAt: expect.any(String) });
    const notice = await late.peer.waitFor('meeting:leaveRequested');
    expect(notice.seq).toBe(late.state.seq);
    expect(notice).toMatchObject({ proposalId: s.a, reason: 'conflict' });
    expect(late.peer.meetingEvents(s.callId).map((r) => r.event)).toEqual(['meeting:state', 'meeting:leaveRequested']);
    expect(JSON.stringify(late.peer.received)).not.toContain(s.refs[s.a]);
  });

  it('cuts off someone whose conflict is declared mid-meeting, from the next event on', async () => {
    const pd = await join(s.pd);
    const anr = await join(s.reviewerAnr);
    await ok(pd.peer, 'meeting:setCurrent', { callId: s.callId, proposalId: s.c });
    await godo.models.Conflict.create({ callId: s.callId, proposalId: s.c, userId: s.reviewerAnr.id, type: 'institutional', status: 'confirmed', source: 'declared' });
    const decided = await ok(pd.peer, 'meeting:recordDecision', { callId: s.callId, proposalId: s.c, outcome: 'Reserve list' });
    const withheld = await anr.peer.waitFor('meeting:withheld', (e) => e.seq === decided.seq);
    expect(withheld).toEqual({ callId: s.callId, seq: decided.seq, serverTime: expect.any(String) });
    expect(anr.peer.received.some((r) => r.event === 'meeting:decisionRecorded' && r.payload.decision.proposalId === s.c)).toBe(false);
  });
});
