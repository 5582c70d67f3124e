import { Types, type UpdateQuery } from 'mongoose';
import { ConflictError } from '../../errors.js';
import type { Models } from '../../models/index.js';
import { isDuplicateKey } from '../access/ids.js';
import type { StoredTimer } from './timer.js';

/** A straw poll as stored; `votes` maps a user id to their current vote. */
export interface StoredPoll {
  id: string;
  proposalId: Types.ObjectId;
  criterion: string;
  min: number;
  max: number;
  step: number;
  status: 'open' | 'closed';
  votes: Record<string, { value: number; agency: string | null }>;
  openedBy: Types.ObjectId;
  openedAt: Date;
  closedAt: Date | null;
}

/** A decision in the meeting log as stored. */
export interface StoredDecision {
  id: string;
  proposalId: Types.ObjectId;
  outcome: string;
  recordedBy: Types.ObjectId;
  recordedByName: string;
  at: Date;
}

/** The meeting document as read (lean). */
export interface MeetingDoc {
  _id: Types.ObjectId;
  callId: Types.ObjectId;
  seq: number;
  version: number;
  agenda: Types.ObjectId[];
  current: { proposalId: Types.ObjectId; startedAt: Date } | null;
  timers: StoredTimer[];
  hands: { userId: Types.ObjectId; name: string; raisedAt: Date }[];
  polls: StoredPoll[];
  decisions: StoredDecision[];
}

/**
 * How many times a read-modify-write is retried when another writer changed the meeting in between.
 * Every lost race means another write won, so this only runs out when the meeting is being changed
 * continuously (several moderators on several processes at once); each retry re-reads fresh state.
 */
const REWRITE_ATTEMPTS = 12;

/**
 * A short random pause before retrying a lost compare-and-set: writers that collided on one
 * process or on several would otherwise re-read and collide again in lock step. Grows with the
 * attempt (1–4 ms, then up to ~40 ms), so a retry costs little next to a database round trip.
 */
function backoff(attempt: number): Promise<void> {
  const ms = Math.random() * Math.min(2 ** attempt, 40);
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The call's meeting, created on first use with every proposal of the call on the agenda (in
 * reference order). Two first joins at once both end up with the one document (unique callId).
 */
export async function ensureMeeting(models: Models, callId: string): Promise<MeetingDoc> {
  const callObjectId = new Types.ObjectId(callId);
  const existing = (await models.Meeting.findOne({ callId: callObjectId }).lean()) as MeetingDoc | null;
  if (existing) return existing;
  const proposals = await models.Proposal.find({ callId: callObjectId }, { _id: 1 }).sort({ ref: 1 }).lean();
  try {
    return (await models.Meeting.findOneAndUpdate(
      { callId: callObjectId },
      { $setOnInsert: { callId: callObjectId, agenda: proposals.map((p) => p._id) } },
      { upsert: true, returnDocument: 'after' },
    ).lean()) as MeetingDoc;
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    return (await models.Meeting.findOne({ callId: callObjectId }).lean()) as MeetingDoc;
  }
}

/**
 * One atomic update of the meeting that also takes the next sequence number. `match` narrows the
 * document (e.g. "this poll is open", "this hand is not raised yet"); null when it did not match.
 */
export async function updateMeeting(
  models: Models,
  callId: string,
  match: Record<string, unknown>,
  update: UpdateQuery<unknown>,
): Promise<MeetingDoc | null> {
  const inc = { ...((update.$inc as Record<string, number> | undefined) ?? {}), seq: 1 };
  return (await models.Meeting.findOneAndUpdate(
    { callId: new Types.ObjectId(callId), ...match },
    { ...update, $inc: inc },
    { returnDocument: 'after' },
  ).lean()) as MeetingDoc | null;
}

/** Takes the next sequence number without changing anything else (presence changes, which are not stored). */
export async function nextSeq(models: Models, callId: string): Promise<MeetingDoc> {
  await ensureMeeting(models, callId);
  return (await updateMeeting(models, callId, {}, {}))!;
}

/**
 * A read-modify-write where the new value depends on the old (agenda order, the current item,
 * timers): `build` sees the meeting and returns the update (or null: nothing to change); the write
 * matches the version read and increments it, and is retried on fresh state when someone else won.
 * @throws whatever `build` throws; ConflictError when the meeting kept changing under us.
 */
export async function rewriteMeeting(
  models: Models,
  callId: string,
  build: (meeting: MeetingDoc) => UpdateQuery<unknown> | null | Promise<UpdateQuery<unknown> | null>,
): Promise<MeetingDoc | null> {
  for (let attempt = 0; attempt < REWRITE_ATTEMPTS; attempt++) {
    const meeting = await ensureMeeting(models, callId);
    const update = await build(meeting);
    if (!update) return null;
    const written = await updateMeeting(models, callId, { version: meeting.version }, { ...update, $inc: { version: 1 } });
    if (written) return written;
    await backoff(attempt + 1);
  }
  throw new ConflictError('The meeting changed while this was being done; try again');
}
