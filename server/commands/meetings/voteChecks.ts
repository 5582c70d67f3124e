import { Types } from 'mongoose';
import type { PollVoteInput } from '../../../shared/realtime/meetingSchemas.js';
import { DomainError } from '../../domain/domainError.js';
import { NotFoundError } from '../../errors.js';
import type { Models } from '../../models/index.js';
import type { ProposalAccess } from '../../policies/access.js';
import { authorize } from '../../policies/authorize.js';
import { perTurn } from '../../collab/perTurn.js';
import { isIdString } from '../access/ids.js';
import { loadProposalAccessForMany } from '../access/loadAccessMany.js';
import { authorizeItem, authorizeLoadedItem, meetingAccessOf, readMeeting, type MeetingContext } from './meetingAccess.js';
import { PollNotOpenError } from './meetingChange.js';
import type { StoredPoll } from './meetingStore.js';

/** A vote that passed every check of its voter, ready to be written (alone or with others: `castVotes`). */
export interface CheckedVote {
  userId: string;
  pollId: string;
  proposalId: string;
  value: number;
  agency: string | null;
}

/**
 * The poll of a meeting the person may follow, or not found (a poll id of another meeting names nothing here).
 * @throws NotFoundError
 */
export async function pollOf(ctx: MeetingContext, callId: string, pollId: string): Promise<StoredPoll> {
  const { meeting } = await readMeeting(ctx, callId);
  const poll = meeting.polls.find((p) => p.id === pollId);
  if (!poll) throw new NotFoundError('No such poll');
  return poll;
}

function assertMark(poll: StoredPoll, value: number): void {
  if (value < poll.min || value > poll.max) {
    throw new DomainError('score_out_of_range', `value must be between ${poll.min} and ${poll.max}`, { value: 'out of range' });
  }
  if (!Number.isInteger((value - poll.min) / poll.step)) {
    const message = poll.step === 1 ? 'value must be a whole number' : 'value must be a whole or half mark';
    throw new DomainError('score_invalid_step', message, { value: message });
  }
}

/** What is left once the person may take part in the poll's item: the poll is open and the value is one of its marks. */
function acceptMark(ctx: MeetingContext, poll: StoredPoll, access: ProposalAccess, value: number): CheckedVote {
  if (poll.status !== 'open') throw new PollNotOpenError();
  assertMark(poll, value);
  return { userId: ctx.user.id, pollId: poll.id, proposalId: String(poll.proposalId), value, agency: access.membership?.agency ?? null };
}

/**
 * One person's vote checked on its own (about six reads): the meeting (as `readMeeting`), the poll,
 * the person's access to its item (`authorizeItem`, 'meeting:participate'), then the mark.
 * @throws NotFoundError, ForbiddenError, PollNotOpenError, DomainError score_out_of_range / score_invalid_step
 */
export async function checkVoteAlone(ctx: MeetingContext, input: PollVoteInput): Promise<CheckedVote> {
  const poll = await pollOf(ctx, input.callId, input.pollId);
  const access = await authorizeItem(ctx, input.callId, String(poll.proposalId), 'meeting:participate');
  return acceptMark(ctx, poll, access, input.value);
}

/**
 * The same decision as `checkVoteAlone`, on access loaded for many voters at once: 'meeting:read'
 * on the meeting-wide part of the access (what `readMeeting` authorizes), then the item through
 * `authorizeLoadedItem` (what `authorizeItem` decides with), then the mark. The poll exists here.
 */
function judgeVote(ctx: MeetingContext, input: PollVoteInput, poll: StoredPoll, access: ProposalAccess): CheckedVote {
  authorize(meetingAccessOf(access), 'meeting:read');
  authorizeLoadedItem(access, input.callId, 'meeting:participate');
  return acceptMark(ctx, poll, access, input.value);
}

/** One vote waiting for its check, with how to answer it. */
interface AskedCheck {
  ctx: MeetingContext;
  input: PollVoteInput;
  resolve: (vote: CheckedVote) => void;
  reject: (error: unknown) => void;
}

/** Settles one check with the outcome of `run` (a thrown error is that person's answer). */
function settle(asked: AskedCheck, run: () => Promise<CheckedVote> | CheckedVote): void {
  Promise.resolve()
    .then(run)
    .then(asked.resolve, asked.reject);
}

/**
 * The checks of one poll asked in one turn: the poll read once, every voter's access to its item
 * loaded at once (`loadProposalAccessForMany`: one query per kind, the same `buildProposalAccess`
 * facts as each would get alone), then each vote judged on its own. Anything unusual (no meeting
 * or poll yet, a malformed id, a proposal of another call, one id asking as two requesters) is checked alone, so each person still
 * gets exactly the answer the single-person path gives; those are error paths, cheap to repeat.
 */
async function checkTogether(models: Models, callId: string, pollId: string, checks: AskedCheck[]): Promise<void> {
  let accessOf: Map<string, ProposalAccess>;
  let poll: StoredPoll | undefined;
  try {
    const meeting = isIdString(callId)
      ? ((await models.Meeting.findOne({ callId: new Types.ObjectId(callId) }, { polls: 1 }).lean()) as { polls: StoredPoll[] } | null)
      : null;
    poll = meeting?.polls.find((p) => p.id === pollId);
    if (!poll) {
      for (const asked of checks) settle(asked, () => checkVoteAlone(asked.ctx, asked.input));
      return;
    }
    accessOf = await loadProposalAccessForMany(
      models,
      checks.map((asked) => asked.ctx.user),
      String(poll.proposalId),
    );
  } catch (error) {
    for (const asked of checks) asked.reject(error);
    return;
  }
  const found = poll;
  for (const asked of checks) {
    const access = accessOf.get(asked.ctx.user.id);
    // The access is keyed by user id: one person on two connections may be asking as two requesters
    // (admin rights changed between their logins), so only an access built for this very requester is used.
    const usable = access && access.user.isAdmin === asked.ctx.user.isAdmin && access.call.id === callId;
    if (usable) settle(asked, () => judgeVote(asked.ctx, asked.input, found, access));
    else settle(asked, () => checkVoteAlone(asked.ctx, asked.input));
  }
}

/** Groups one turn's checks per server (its models), meeting and poll. */
const askInTurn = perTurn<AskedCheck>((checks) => {
  const groups = new Map<Models, Map<string, AskedCheck[]>>();
  for (const asked of checks) {
    const byPoll = groups.get(asked.ctx.models) ?? new Map<string, AskedCheck[]>();
    groups.set(asked.ctx.models, byPoll);
    const key = `${asked.input.callId}/${asked.input.pollId}`;
    const group = byPoll.get(key);
    if (group) group.push(asked);
    else byPoll.set(key, [asked]);
  }
  for (const [models, byPoll] of groups) {
    for (const group of byPoll.values()) void checkTogether(models, group[0].input.callId, group[0].input.pollId, group);
  }
});

/**
 * Checks one person's vote without writing anything, together with every other vote of the same
 * poll asked in the same event-loop turn (a storm of simultaneous votes costs a handful of reads,
 * not six per voter). Each vote is still answered on its own, with the errors `checkVoteAlone` gives.
 * @throws NotFoundError, ForbiddenError, PollNotOpenError, DomainError score_out_of_range / score_invalid_step
 */
export function checkVoteInTurn(ctx: MeetingContext, input: PollVoteInput): Promise<CheckedVote> {
  return new Promise<CheckedVote>((resolve, reject) => askInTurn({ ctx, input, resolve, reject }));
}
