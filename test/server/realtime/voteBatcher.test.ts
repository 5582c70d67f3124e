import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGodo } from '../../../server/index.js';
import type { MeetingChange } from '../../../server/commands/meetings/meetingChange.js';
import { updateMeeting } from '../../../server/commands/meetings/meetingStore.js';
import { checkVote, closePoll, openPoll } from '../../../server/commands/meetings/pollCommands.js';
import type { MeetingBroadcaster } from '../../../server/realtime/meetingBroadcast.js';
import { MeetingRooms } from '../../../server/realtime/meetingRooms.js';
import { voteBatcher, type VoteReceipt } from '../../../server/realtime/voteBatcher.js';
import { startTestGodo } from '../../helpers/godo.js';
import { checkVoteAlone } from '../../../server/commands/meetings/voteChecks.js';
import { setUpMeeting, type MeetingSetup, type Participant } from './meetingSetup.js';

/**
 * The batcher against the real database and a real MeetingRooms queue; only the broadcaster (a
 * small interface, tested with real sockets in meetingVotes.test.ts) records instead of sending.
 * Holding the meeting's queue with a task of our own makes "votes that arrive together" exact.
 */
let godo: RunningGodo;
let s: MeetingSetup;
const now = new Date('2027-02-15T01:00:00Z');

beforeAll(async () => {
  godo = await startTestGodo({ clock: () => now });
  s = await setUpMeeting(godo, 'batcher', now);
});
afterAll(async () => {
  await godo?.close();
});

const ctx = (person: Participant) => ({ models: godo.models, user: { id: person.id, isAdmin: false, name: person.name }, now });

function harness() {
  const rooms = new MeetingRooms();
  const broadcasts: MeetingChange[] = [];
  const broadcaster: MeetingBroadcaster = {
    broadcast: async (change) => void broadcasts.push(change),
    sendState: async () => undefined,
  };
  const votes = voteBatcher({ models: godo.models, rooms, broadcaster });
  /** Occupies the meeting's queue until the returned function is called. */
  const hold = () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    void rooms.run(s.callId, () => held);
    return release;
  };
  const vote = (person: Participant, pollId: string, value: number) => votes.submit(ctx(person), { callId: s.callId, pollId, value });
  return { rooms, broadcasts, hold, vote };
}

async function newPoll(proposalId: string): Promise<{ pollId: string; seq: number }> {
  const change = await openPoll(ctx(s.pd), { callId: s.callId, proposalId, criterion: 'excellence' });
  return { pollId: (change as { pollId: string }).pollId, seq: change.meeting.seq };
}

const codeOf = (outcome: PromiseSettledResult<VoteReceipt>) => (outcome.status === 'rejected' ? (outcome.reason as { code: string }).code : 'ok');

async function storedVotes(pollId: string) {
  const meeting = await godo.models.Meeting.findOne({ callId: s.callId }).lean();
  return meeting!.polls.find((p: { id: string }) => p.id === pollId)!.votes as Record<string, { value: number; agency: string | null }>;
}

describe('votes that arrive together', () => {
  it('are one write, one seq and one broadcast; each refused vote gets its own error; a repeated vote keeps the later value', async () => {
    const { pollId, seq } = await newPoll(s.a);
    const { hold, vote, broadcasts } = harness();
    const release = hold();
    const pending = [
      vote(s.reviewerJst, pollId, 3.5),
      vote(s.conflicted, pollId, 2),
      vote(s.observer, pollId, 2),
      vote(s.reviewerAnr, pollId, 4),
      vote(s.officerAnr, pollId, 7),
      vote(s.reviewerJst, pollId, 4.5),
    ];
    release();
    const outcomes = await Promise.allSettled(pending);

    expect(outcomes.map(codeOf)).toEqual(['ok', 'not_found', 'forbidden', 'ok', 'score_out_of_range', 'ok']);
    for (const outcome of outcomes.filter((o) => o.status === 'fulfilled')) expect(outcome.value).toEqual({ seq: seq + 1, pollId });
    expect(broadcasts).toHaveLength(1);
    expect(broadcasts[0]).toMatchObject({ kind: 'poll', pollId, proposalId: s.a, meeting: { seq: seq + 1 } });
    expect(await storedVotes(pollId)).toEqual({
      [s.reviewerJst.id]: { value: 4.5, agency: 'JST' },
      [s.reviewerAnr.id]: { value: 4, agency: 'ANR' },
    });
  });

  it('write nothing when every one of them is refused', async () => {
    const { pollId, seq } = await newPoll(s.a);
    const { hold, vote, broadcasts } = harness();
    const release = hold();
    const pending = [vote(s.conflicted, pollId, 2), vote(s.observer, pollId, 2)];
    release();
    expect((await Promise.allSettled(pending)).map(codeOf)).toEqual(['not_found', 'forbidden']);
    expect(broadcasts).toEqual([]);
    expect((await godo.models.Meeting.findOne({ callId: s.callId }).lean())!.seq).toBe(seq);
  });

  it('are all refused when the poll was closed (by another process) before their write', async () => {
    const { pollId } = await newPoll(s.b);
    const { hold, vote, broadcasts } = harness();
    const release = hold();
    const pending = [vote(s.reviewerJst, pollId, 3), vote(s.reviewerAnr, pollId, 4)];
    // The same checks, sent after the batch's: by the time they pass, the batch's have (usually) passed
    // too, so it is the write's own condition that refuses. Either way both votes must be refused.
    await Promise.all([checkVote(ctx(s.reviewerJst), { callId: s.callId, pollId, value: 3 }), checkVote(ctx(s.reviewerAnr), { callId: s.callId, pollId, value: 4 })]);
    await updateMeeting(godo.models, s.callId, { polls: { $elemMatch: { id: pollId, status: 'open' } } }, { $set: { 'polls.$.status': 'closed', 'polls.$.closedAt': now } });
    release();
    expect((await Promise.allSettled(pending)).map(codeOf)).toEqual(['poll_not_open', 'poll_not_open']);
    expect(broadcasts).toEqual([]);
    expect(await storedVotes(pollId)).toEqual({});
  });
});

describe('the checks of votes asked in the same turn', () => {
  it('give every voter the answer their vote gets checked alone, on any poll, for anyone', async () => {
    const open = await newPoll(s.a);
    const closed = await newPoll(s.b);
    await closePoll(ctx(s.pd), { callId: s.callId, pollId: closed.pollId });
    // Someone outside the call; the same id asking as an admin (the policies count admins in) shares
    // the turn, so the batch must not judge one requester on the other's access.
    const stranger = { id: new Types.ObjectId().toHexString(), name: 'Stranger' } as Participant;
    const asAdmin = (person: Participant) => ({ ...ctx(person), user: { ...ctx(person).user, isAdmin: true } });
    const unknownPoll = new Types.ObjectId().toHexString();
    const cases = [
      [ctx(s.reviewerJst), open.pollId, 3],
      [ctx(s.conflicted), open.pollId, 3],
      [ctx(s.observer), open.pollId, 3],
      [ctx(stranger), open.pollId, 3],
      [asAdmin(stranger), open.pollId, 3],
      [ctx(s.reviewerAnr), open.pollId, 3.25],
      [ctx(s.officerAnr), open.pollId, -1],
      [ctx(s.reviewerAnr), closed.pollId, 3],
      // Conflicted with proposal a only: this poll is on b.
      [ctx(s.conflicted), closed.pollId, 3],
      [ctx(s.reviewerJst), unknownPoll, 3],
      [ctx(stranger), unknownPoll, 3],
    ] as const;
    const answer = (outcome: PromiseSettledResult<unknown>) =>
      outcome.status === 'rejected' ? (outcome.reason as { code: string }).code : outcome.value;
    // All asked in one turn (checked together), then each on its own, one after another.
    const asked = cases.map(([c, pollId, value]) => checkVote(c, { callId: s.callId, pollId, value }));
    const together = (await Promise.allSettled(asked)).map(answer);
    const alone: unknown[] = [];
    for (const [c, pollId, value] of cases) {
      const [outcome] = await Promise.allSettled([checkVoteAlone(c, { callId: s.callId, pollId, value })]);
      alone.push(answer(outcome));
    }
    expect(together).toEqual(alone);
    expect(together.map((a) => (typeof a === 'string' ? a : 'ok'))).toEqual([
      'ok', 'not_found', 'forbidden', 'not_found', 'ok', 'score_invalid_step', 'score_out_of_range',
      'poll_not_open', 'poll_not_open', 'not_found', 'not_found',
    ]);
  });
});

describe('the order of the meeting', () => {
  it('never lets a vote join a batch queued before another command of the meeting', async () => {
    const { pollId } = await newPoll(s.b);
    const { rooms, hold, vote, broadcasts } = harness();
    const release = hold();
    const before = vote(s.reviewerJst, pollId, 2);
    const closed = rooms.run(s.callId, () => closePoll(ctx(s.pd), { callId: s.callId, pollId }));
    const after = vote(s.reviewerAnr, pollId, 5);
    release();
    const [beforeOutcome, afterOutcome] = await Promise.allSettled([before, after]);
    expect([codeOf(beforeOutcome), codeOf(afterOutcome)]).toEqual(['ok', 'poll_not_open']);
    expect((beforeOutcome as PromiseFulfilledResult<VoteReceipt>).value.seq).toBeLessThan((await closed).meeting.seq);
    expect(broadcasts).toHaveLength(1);
    expect(await storedVotes(pollId)).toEqual({ [s.reviewerJst.id]: { value: 2, agency: 'JST' } });
  });

  it('never lets a vote join a batch that has begun', async () => {
    const { pollId, seq } = await newPoll(s.b);
    const { vote, broadcasts } = harness();
    const first = vote(s.reviewerJst, pollId, 2);
    // The idle queue starts the first batch on the next microtask: from then on it takes no one.
    await Promise.resolve();
    const second = vote(s.reviewerAnr, pollId, 5);
    expect(await Promise.all([first, second])).toEqual([
      { seq: seq + 1, pollId },
      { seq: seq + 2, pollId },
    ]);
    expect(broadcasts.map((b) => b.meeting.seq)).toEqual([seq + 1, seq + 2]);
  });

  it('starts a new batch for a vote on another poll', async () => {
    const first = await newPoll(s.b);
    const second = await newPoll(s.b);
    const { hold, vote, broadcasts } = harness();
    const release = hold();
    const pending = [vote(s.reviewerJst, first.pollId, 1), vote(s.reviewerJst, second.pollId, 2), vote(s.reviewerAnr, first.pollId, 3)];
    release();
    const receipts = await Promise.all(pending);
    expect(receipts.map((r) => r.seq)).toEqual([second.seq + 1, second.seq + 2, second.seq + 3]);
    expect(broadcasts.map((b) => (b as { pollId: string }).pollId)).toEqual([first.pollId, second.pollId, first.pollId]);
  });
});
