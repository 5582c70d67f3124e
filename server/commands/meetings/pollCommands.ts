import { Types } from 'mongoose';
import { SCALES, type ScaleKind } from '../../../shared/enums.js';
import type { DecisionRecordInput, PollCloseInput, PollOpenInput, PollVoteInput } from '../../../shared/realtime/meetingSchemas.js';
import { DomainError } from '../../domain/domainError.js';
import { stepOf } from '../../domain/scales.js';
import type { Models } from '../../models/index.js';
import { recordAudit } from '../audit/recordAudit.js';
import { authorizeItem, type MeetingContext } from './meetingAccess.js';
import { PollNotOpenError, type MeetingChange } from './meetingChange.js';
import { ensureMeeting, updateMeeting, type StoredPoll } from './meetingStore.js';
import { checkVoteInTurn, pollOf, type CheckedVote } from './voteChecks.js';

export type { CheckedVote };

/**
 * Opens a straw poll on a consensus score: one proposal, one criterion, on that criterion's scale
 * (with half marks where the criterion allows them). Moderators of the item only.
 * @throws NotFoundError, ForbiddenError, DomainError unknown_criterion
 */
export async function openPoll(ctx: MeetingContext, input: PollOpenInput): Promise<MeetingChange> {
  await authorizeItem(ctx, input.callId, input.proposalId, 'meeting:moderate');
  const call = await ctx.models.Call.findById(input.callId, { criteria: 1 }).lean();
  const criterion = call?.criteria.find((c) => c.key === input.criterion);
  if (!criterion) {
    throw new DomainError('unknown_criterion', `criterion ${input.criterion} is not one of this call's`, { criterion: 'unknown criterion' });
  }
  const scale = SCALES[criterion.scale as ScaleKind];
  await ensureMeeting(ctx.models, input.callId);
  const poll: StoredPoll = {
    id: new Types.ObjectId().toHexString(),
    proposalId: new Types.ObjectId(input.proposalId),
    criterion: input.criterion,
    min: scale.min,
    max: scale.max,
    step: stepOf({ scale: criterion.scale as ScaleKind, halfMarks: Boolean(criterion.halfMarks) }),
    status: 'open',
    votes: {},
    openedBy: new Types.ObjectId(ctx.user.id),
    openedAt: ctx.now,
    closedAt: null,
  };
  const meeting = await updateMeeting(ctx.models, input.callId, {}, { $push: { polls: poll } });
  return { kind: 'poll', meeting: meeting!, pollId: poll.id, proposalId: input.proposalId };
}

/**
 * Casting or changing a vote is two steps, so that simultaneous votes can share one write
 * (server/realtime/voteBatcher.ts): `checkVote` per person, then `castVotes` for the batch.
 *
 * Checks one person's vote without writing anything: the poll exists in this meeting and is open,
 * the person may take part in its item (reviewers and other panel members; never observers or
 * people conflicted with the proposal), and the value is a mark of the poll's scale. Only reads,
 * so the socket layer runs it outside the meeting's queue, in parallel for simultaneous voters;
 * the write (`castVotes`) checks again that the poll is still open. Votes of one poll asked in
 * the same event-loop turn are checked together (voteChecks.ts: the poll read once, every
 * voter's access loaded at once), each still judged and answered on its own.
 * @throws NotFoundError, ForbiddenError, PollNotOpenError, DomainError score_out_of_range / score_invalid_step
 */
export function checkVote(ctx: MeetingContext, input: PollVoteInput): Promise<CheckedVote> {
  return checkVoteInTurn(ctx, input);
}

/**
 * Writes checked votes of one poll (one person's or many people's, in the order they were sent)
 * in one atomic update that also takes one seq and checks the poll is still open: each vote is
 * set under its voter's id, so a person who voted twice keeps the later value, as if the votes
 * had been written one after another.
 * @throws PollNotOpenError (for the whole batch) when the poll was closed meanwhile
 */
export async function castVotes(models: Models, callId: string, votes: readonly CheckedVote[]): Promise<MeetingChange> {
  const [first] = votes;
  if (!first || votes.some((v) => v.pollId !== first.pollId)) throw new Error('castVotes takes one or more votes of one poll');
  const set: Record<string, { value: number; agency: string | null }> = {};
  for (const v of votes) set[`polls.$.votes.${v.userId}`] = { value: v.value, agency: v.agency };
  const meeting = await updateMeeting(models, callId, { polls: { $elemMatch: { id: first.pollId, status: 'open' } } }, { $set: set });
  if (!meeting) throw new PollNotOpenError();
  return { kind: 'poll', meeting, pollId: first.pollId, proposalId: first.proposalId };
}

/**
 * Closes a poll; its final distribution stays in the meeting.
 * @throws NotFoundError, ForbiddenError, PollNotOpenError
 */
export async function closePoll(ctx: MeetingContext, input: PollCloseInput): Promise<MeetingChange> {
  const poll = await pollOf(ctx, input.callId, input.pollId);
  await authorizeItem(ctx, input.callId, String(poll.proposalId), 'meeting:moderate');
  const meeting = await updateMeeting(
    ctx.models,
    input.callId,
    { polls: { $elemMatch: { id: input.pollId, status: 'open' } } },
    { $set: { 'polls.$.status': 'closed', 'polls.$.closedAt': ctx.now } },
  );
  if (!meeting) throw new PollNotOpenError();
  return { kind: 'poll', meeting, pollId: poll.id, proposalId: String(poll.proposalId) };
}

/**
 * Writes a decision into the meeting log as it is taken (and into the audit log). The formal
 * decision and its sign-offs are the decisions resource's; this is the minute of the table.
 * @throws NotFoundError, ForbiddenError
 */
export async function recordDecision(ctx: MeetingContext, input: DecisionRecordInput): Promise<MeetingChange> {
  await authorizeItem(ctx, input.callId, input.proposalId, 'meeting:moderate');
  await ensureMeeting(ctx.models, input.callId);
  const decision = {
    id: new Types.ObjectId().toHexString(),
    proposalId: new Types.ObjectId(input.proposalId),
    outcome: input.outcome,
    recordedBy: new Types.ObjectId(ctx.user.id),
    recordedByName: ctx.user.name,
    at: ctx.now,
  };
  const meeting = await updateMeeting(ctx.models, input.callId, {}, { $push: { decisions: decision } });
  await recordAudit(ctx.models, {
    callId: input.callId,
    proposalId: input.proposalId,
    actorId: ctx.user.id,
    action: 'meeting.decisionRecorded',
    after: { outcome: input.outcome },
    at: ctx.now,
  });
  return { kind: 'decision', meeting: meeting!, decisionId: decision.id, proposalId: input.proposalId };
}
