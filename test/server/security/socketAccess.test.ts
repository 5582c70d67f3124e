import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGodo } from '../../../server/index.js';
import { CLIENT_EVENT_NAMES } from '../../../shared/realtime/clientEvents.js';
import type { ClientEventName } from '../../../shared/realtime/events.js';
import { startTestGodo } from '../../helpers/godo.js';
import { joinMeeting, ok, setUpMeeting, type MeetingSetup, type Participant } from '../realtime/meetingSetup.js';
import { connectPeer, type Peer } from '../realtime/peer.js';
import { within } from '../collab/support/clients.js';

/*
 * Every Socket.IO client event (enumerated at run time from shared/realtime/clientEvents.ts), tried
 * by a reviewer conflicted with proposal A, an observer, and the PD of another call, each with a
 * valid payload naming what they must not reach. None is let through, nothing changes, and no
 * broadcast they receive while the moderator runs A's discussion reveals A (to the conflicted
 * reviewer) or anything of the call (to the outsider).
 */

type Intruder = 'conflicted' | 'observer' | 'outsider';
const INTRUDERS: Intruder[] = ['conflicted', 'observer', 'outsider'];

/** 'refused': ok:false with one of the codes; 'harmless': allowed, and changes nothing (leaving, unsubscribing, reading what they may). */
type Expect = { refused: string[] } | 'harmless';
const REFUSED = { refused: ['not_found', 'forbidden'] };
const HIDDEN = { refused: ['not_found'] };

let godo: RunningGodo;
let s: MeetingSetup;
let other: MeetingSetup;
let pollId: string;
const peers: Peer[] = [];
let tried = 0;

/** Who each intruder is, and the payload per event naming what they must not reach. */
function payloads(): Record<ClientEventName, unknown> {
  const callId = s.callId;
  return {
    'meeting:join': { callId },
    'meeting:leave': { callId },
    'meeting:sync': { callId },
    'meeting:setAgenda': { callId, proposalIds: [s.a, s.c, s.b] },
    'meeting:setCurrent': { callId, proposalId: s.a },
    'meeting:controlTimer': { callId, proposalId: s.a, action: 'reset', durationSeconds: 60 },
    'meeting:raiseHand': { callId },
    'meeting:lowerHand': { callId, userId: s.reviewerJst.id },
    'meeting:clearHands': { callId },
    'meeting:callNext': { callId },
    'meeting:openPoll': { callId, proposalId: s.a, criterion: 'impact' },
    'meeting:vote': { callId, pollId, value: 1 },
    'meeting:closePoll': { callId, pollId },
    'meeting:recordDecision': { callId, proposalId: s.a, outcome: 'Intruder decision' },
    'comment:subscribe': { proposalId: s.a },
    'comment:unsubscribe': { proposalId: s.a },
    'review:subscribe': { proposalId: s.a },
    'review:unsubscribe': { proposalId: s.a },
  };
}

/**
 * What each intruder must get. The conflicted reviewer and the observer are members: they may join,
 * sync and leave (what they are sent is checked below), the observer may follow comments and
 * reviews of A; neither may moderate, vote on A, or (the conflicted) touch A at all. The outsider is
 * refused everything as if the call did not exist.
 */
const EXPECTED: Record<ClientEventName, Record<Intruder, Expect>> = {
  'meeting:join': { conflicted: 'harmless', observer: 'harmless', outsider: HIDDEN },
  'meeting:leave': { conflicted: 'harmless', observer: 'harmless', outsider: 'harmless' },
  'meeting:sync': { conflicted: 'harmless', observer: 'harmless', outsider: HIDDEN },
  'meeting:setAgenda': { conflicted: REFUSED, observer: REFUSED, outsider: HIDDEN },
  'meeting:setCurrent': { conflicted: REFUSED, observer: REFUSED, outsider: HIDDEN },
  'meeting:controlTimer': { conflicted: REFUSED, observer: REFUSED, outsider: HIDDEN },
  'meeting:raiseHand': { conflicted: HIDDEN, observer: REFUSED, outsider: HIDDEN },
  'meeting:lowerHand': { conflicted: REFUSED, observer: REFUSED, outsider: HIDDEN },
  'meeting:clearHands': { conflicted: REFUSED, observer: REFUSED, outsider: HIDDEN },
  'meeting:callNext': { conflicted: REFUSED, observer: REFUSED, outsider: HIDDEN },
  'meeting:openPoll': { conflicted: REFUSED, observer: REFUSED, outsider: HIDDEN },
  'meeting:vote': { conflicted: HIDDEN, observer: REFUSED, outsider: HIDDEN },
  'meeting:closePoll': { conflicted: REFUSED, observer: REFUSED, outsider: HIDDEN },
  'meeting:recordDecision': { conflicted: REFUSED, observer: REFUSED, outsider: HIDDEN },
  'comment:subscribe': { conflicted: HIDDEN, observer: 'harmless', outsider: HIDDEN },
  'comment:unsubscribe': { conflicted: 'harmless', observer: 'harmless', outsider: 'harmless' },
  'review:subscribe': { conflicted: HIDDEN, observer: 'harmless', outsider: HIDDEN },
  'review:unsubscribe': { conflicted: 'harmless', observer: 'harmless', outsider: 'harmless' },
};

const intruders = new Map<Intruder, { person: Participant; peer: Peer }>();

beforeAll(async () => {
  godo = await startTestGodo();
  s = await setUpMeeting(godo, 'sx');
  other = await setUpMeeting(godo, 'sx-other');
  const pd = await joinMeeting(godo, s.pd, s.callId);
  const reviewer = await joinMeeting(godo, s.reviewerJst, s.callId);
  peers.push(pd.peer, reviewer.peer);
  await ok(pd.peer, 'meeting:setAgenda', { callId: s.callId, proposalIds: [s.a, s.b, s.c] });
  await ok(pd.peer, 'meeting:setCurrent', { callId: s.callId, proposalId: s.a });
  await ok(reviewer.peer, 'meeting:raiseHand', { callId: s.callId });
  ({ pollId } = await ok<{ pollId: string }>(pd.peer, 'meeting:openPoll', { callId: s.callId, proposalId: s.a, criterion: 'excellence' }));
  const people: Record<Intruder, Participant> = { conflicted: s.conflicted, observer: s.observer, outsider: other.pd };
  for (const key of INTRUDERS) {
    const peer = await connectPeer(godo, people[key].cookie);
    peers.push(peer);
    intruders.set(key, { person: people[key], peer });
  }
  // The outsider moderates their own call's meeting: their rights there must not carry over.
  await ok(intruders.get('outsider')!.peer, 'meeting:join', { callId: other.callId });
}, 60_000);

afterAll(async () => {
  console.info(`socket access: ${tried} event attempts (${CLIENT_EVENT_NAMES.length} events × ${INTRUDERS.length} people)`);
  for (const peer of peers) peer.close();
  await godo?.close();
});

/** What an intruder may not change: the meeting document without its presence bookkeeping. */
async function meetingState(): Promise<string> {
  const meeting = await godo.models.Meeting.findOne({ callId: s.callId }).lean();
  const { attendance: _a, updatedAt: _u, seq: _s, ...rest } = meeting as Record<string, unknown>;
  return JSON.stringify(rest);
}

describe('every client event, by people who must not reach what it names', () => {
  it('has an expectation and a payload for every event the server listens to', async () => {
    const server = [...godo.realtime.io.sockets.sockets.values()].find((socket) => socket.data.user.id === s.pd.id)!;
    const handled = server.eventNames().filter((name): name is string => typeof name === 'string' && name.includes(':'));
    expect([...handled].sort()).toEqual([...CLIENT_EVENT_NAMES].sort());
    expect(Object.keys(EXPECTED).sort()).toEqual([...CLIENT_EVENT_NAMES].sort());
    expect(Object.keys(payloads()).sort()).toEqual([...CLIENT_EVENT_NAMES].sort());
  });

  for (const intruder of INTRUDERS) {
    it(`${intruder}: each event is refused, or harmless, and the meeting is unchanged`, async () => {
      const { peer } = intruders.get(intruder)!;
      const before = await meetingState();
      const problems: string[] = [];
      const all = payloads();
      for (const event of CLIENT_EVENT_NAMES) {
        tried += 1;
        const ack = await peer.request<Record<string, unknown>>(event, all[event]);
        const expected = EXPECTED[event][intruder];
        if (expected === 'harmless') {
          if (!ack.ok && !['not_found'].includes(ack.error.code)) problems.push(`${event}: ${JSON.stringify(ack)}`);
        } else if (ack.ok || !expected.refused.includes(ack.error.code)) {
          problems.push(`${event}: expected ${expected.refused.join('|')}, got ${JSON.stringify(ack)}`);
        }
      }
      expect(problems).toEqual([]);
      expect(await meetingState()).toBe(before);
      // Their refusals did not disturb the moderator.
      const pd = peers[0];
      expect((await pd.request('meeting:sync', { callId: s.callId })).ok).toBe(true);
    });
  }

  it('while A is discussed, nothing any intruder is sent reveals A to the conflicted one or the call to the outsider', async () => {
    const [pd, reviewer] = peers;
    const conflicted = intruders.get('conflicted')!.peer;
    const observer = intruders.get('observer')!.peer;
    const outsider = intruders.get('outsider')!.peer;
    await ok(conflicted, 'meeting:join', { callId: s.callId });
    await ok(observer, 'meeting:join', { callId: s.callId });
    await ok(observer, 'comment:subscribe', { proposalId: s.a });
    for (const peer of [conflicted, observer]) await ok(peer, 'comment:subscribe', { proposalId: s.b });
    const outcome = 'Fund A, subject to a 10% budget cut';
    const commentOnA = 'A’s year-two budget is inflated by the cryostat';
    await ok(pd, 'meeting:controlTimer', { callId: s.callId, proposalId: s.a, action: 'start', durationSeconds: 300 });
    await ok(reviewer, 'meeting:vote', { callId: s.callId, pollId, value: 4.5 });
    await ok(pd, 'meeting:closePoll', { callId: s.callId, pollId });
    await ok(pd, 'meeting:recordDecision', { callId: s.callId, proposalId: s.a, outcome });
    expect((await s.reviewerJst.api.post(`/api/proposals/${s.a}/comments`, { body: commentOnA })).status).toBe(201);
    // Fences: a move to B and a comment on B, which every member receives after everything above.
    const fence = await ok(pd, 'meeting:setCurrent', { callId: s.callId, proposalId: s.b });
    expect((await s.reviewerJst.api.post(`/api/proposals/${s.b}/comments`, { body: 'Fence on B' })).status).toBe(201);
    for (const peer of [conflicted, observer]) {
      await within(peer.waitFor('meeting:currentChanged', (e) => e.seq === fence.seq), 'fence');
      await within(peer.waitFor('comment:created', (e) => e.comment.body === 'Fence on B'), 'comment fence');
    }
    // The observer was shown A (they may read it), so the withholding below is not vacuous.
    expect(JSON.stringify(observer.received)).toContain(outcome);
    expect(JSON.stringify(observer.received)).toContain(commentOnA);

    // A's bare id may reach them (the agenda lists it as a conflicted entry, so they know to leave); nothing else of it.
    const forbiddenToConflicted = [s.refs[s.a], s.titles[s.a], pollId, outcome, commentOnA];
    const seenByConflicted = JSON.stringify(conflicted.received);
    expect(forbiddenToConflicted.filter((word) => seenByConflicted.includes(word))).toEqual([]);
    const forbiddenToOutsider = [s.callId, s.a, s.b, s.c, ...Object.values(s.refs), ...Object.values(s.titles), pollId, outcome, commentOnA];
    const seenByOutsider = JSON.stringify(outsider.received);
    expect(forbiddenToOutsider.filter((word) => seenByOutsider.includes(word))).toEqual([]);
  });
});
