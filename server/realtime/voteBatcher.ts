import type { PollVoteInput } from '../../shared/realtime/meetingSchemas.js';
import type { MeetingContext } from '../commands/meetings/meetingAccess.js';
import { castVotes, checkVote, type CheckedVote } from '../commands/meetings/pollCommands.js';
import { DatabaseUnavailableError, failFastWhileDatabaseDown, isDatabaseKnownDown } from '../db/dbHealth.js';
import type { Models } from '../models/index.js';
import type { MeetingBroadcaster } from './meetingBroadcast.js';
import type { MeetingRooms } from './meetingRooms.js';

/** What a voter is acknowledged with: the seq of the write that holds their vote, and the poll. */
export interface VoteReceipt {
  seq: number;
  pollId: string;
}

/** Turns simultaneous `meeting:vote`s of one meeting into as few writes and broadcasts as the queue allows. */
export interface VoteBatcher {
  /**
   * Takes one person's vote. Resolves once the write holding it has been broadcast, or rejects
   * with that person's own error (their checks), or the batch's (poll closed meanwhile, database).
   */
  submit(ctx: MeetingContext, input: PollVoteInput): Promise<VoteReceipt>;
}

/**
 * How many votes one write takes at most: a panel has 10–100 people, so this only bounds the
 * update document if something sends far more (each person has one vote, so repeats add nothing).
 */
const MAX_BALLOTS = 200;

/** One vote sent: its checks (already running) and how to answer its sender. */
interface Ballot {
  checked: Promise<CheckedVote>;
  resolve: (receipt: VoteReceipt) => void;
  reject: (error: unknown) => void;
}

/** Votes of one poll that will be written together, by one task of the meeting's queue. */
interface Batch {
  callId: string;
  pollId: string;
  /** The batch's task in the meeting's queue (`MeetingRooms.lastQueuedTask`). */
  task: number;
  started: boolean;
  ballots: Ballot[];
}

/**
 * Batches simultaneous votes (one batcher per realtime server, beside its MeetingRooms).
 *
 * Why: each vote used to be one queued command (reads, an fsynced write, a broadcast to everyone),
 * so N panellists voting at once waited for N of each, one after another. Now:
 *
 * - Order. A vote takes its place in the meeting's queue the moment it arrives, as every command
 *   does: it joins the batch waiting at the end of the queue, or queues a new one. It may join a
 *   batch only while that batch's task is still the last one queued for the meeting and has not
 *   started; so nothing queued after a batch (a `meeting:closePoll`, a relayed change, another
 *   poll's votes) is ever overtaken by a vote sent after it, and a batch never takes a vote after
 *   it has begun.
 * - Checks. Each vote's checks (`checkVote`: the poll, the person's access through authorizeItem /
 *   'meeting:participate', the mark) only read, so they start at once, outside the queue and in
 *   parallel with everyone else's and with the commands ahead. The batch's task waits for them;
 *   a vote that fails is answered with its own error and left out, the others go on. Reading
 *   before the commands ahead have run changes nothing: of all meeting commands only closing the
 *   poll affects a vote, and the write itself checks that (access changes are not queued at all).
 * - Write. One atomic update inside the queue (`castVotes`): every accepted voter's path, one seq,
 *   on the condition that the poll is still open (checked at write time, so a close queued ahead
 *   of the batch refuses all of its votes with `poll_not_open`). A person who voted twice in one
 *   batch keeps the later value, as one-by-one processing would give.
 * - One broadcast of the existing 'poll' change for the batch (the client applies it as any
 *   `meeting:pollChanged`: one seq further), then every accepted voter is acknowledged with it.
 *
 * The first vote into an idle meeting starts its batch at once (no waiting to collect more); votes
 * arriving while a batch writes gather in the next one, so a storm costs a few writes, not N.
 */
export function voteBatcher(deps: { models: Models; rooms: MeetingRooms; broadcaster: MeetingBroadcaster }): VoteBatcher {
  const { models, rooms, broadcaster } = deps;
  /** Per meeting: the batch that may still take votes (checked again with `joinable` before use). */
  const pending = new Map<string, Batch>();

  function joinable(batch: Batch | undefined, callId: string, pollId: string): batch is Batch {
    return (
      batch !== undefined &&
      !batch.started &&
      batch.pollId === pollId &&
      batch.ballots.length < MAX_BALLOTS &&
      rooms.lastQueuedTask(callId) === batch.task
    );
  }

  function queueBatch(callId: string, pollId: string): Batch {
    const batch: Batch = { callId, pollId, task: 0, started: false, ballots: [] };
    // The task never rejects: `write` answers every ballot itself.
    void rooms.run(callId, () => write(batch));
    // Read at once after `run`, it is this batch's number (the task itself starts later, at the earliest on a microtask).
    batch.task = rooms.lastQueuedTask(callId)!;
    pending.set(callId, batch);
    return batch;
  }

  async function write(batch: Batch): Promise<void> {
    batch.started = true;
    if (pending.get(batch.callId) === batch) pending.delete(batch.callId);
    const outcomes = await Promise.allSettled(batch.ballots.map((b) => b.checked));
    const accepted: { ballot: Ballot; vote: CheckedVote }[] = [];
    outcomes.forEach((outcome, i) => {
      const ballot = batch.ballots[i];
      if (outcome.status === 'fulfilled') accepted.push({ ballot, vote: outcome.value });
      else ballot.reject(outcome.reason);
    });
    if (accepted.length === 0) return;
    try {
      failFastWhileDatabaseDown(models);
      const change = await castVotes(models, batch.callId, accepted.map((a) => a.vote));
      // As for every command: broadcast first, then acknowledge with the change's seq.
      await broadcaster.broadcast(change);
      const receipt = { seq: change.meeting.seq, pollId: batch.pollId };
      for (const { ballot } of accepted) ballot.resolve(receipt);
    } catch (error) {
      for (const { ballot } of accepted) ballot.reject(error);
    }
  }

  return {
    submit(ctx, input) {
      const { callId, pollId } = input;
      // Known away: answered at once rather than after checks that would wait out server selection.
      if (isDatabaseKnownDown(models)) return Promise.reject(new DatabaseUnavailableError());
      const waiting = pending.get(callId);
      const batch = joinable(waiting, callId, pollId) ? waiting : queueBatch(callId, pollId);
      const checked = checkVote(ctx, input);
      // Its failure is read by the batch (allSettled), maybe after this tick: not an unhandled rejection.
      checked.catch(() => undefined);
      return new Promise<VoteReceipt>((resolve, reject) => batch.ballots.push({ checked, resolve, reject }));
    },
  };
}
