import { Types } from 'mongoose';
import type {
  AgendaSetInput,
  CurrentSetInput,
  HandLowerInput,
  TimerControlInput,
} from '../../../shared/realtime/meetingSchemas.js';
import { MEETING_LIMITS } from '../../../shared/realtime/meetingSchemas.js';
import { authorizeFloor, authorizeItem, authorizeMeeting, readMeeting, type MeetingContext } from './meetingAccess.js';
import { AgendaInvalidError, type MeetingChange } from './meetingChange.js';
import { rewriteMeeting, updateMeeting, type MeetingDoc } from './meetingStore.js';
import { pauseTimer, resetTimer, startTimer, type StoredTimer } from './timer.js';

const DEFAULT_TIMER_MS = MEETING_LIMITS.defaultTimerSeconds * 1000;
const currentOf = (meeting: MeetingDoc) => (meeting.current ? String(meeting.current.proposalId) : null);

/**
 * Sets the discussion order (PD/PO: officers moderate items, not the whole agenda).
 * @throws NotFoundError, ForbiddenError, AgendaInvalidError when a proposal is not of this call.
 */
export async function setAgenda(ctx: MeetingContext, input: AgendaSetInput): Promise<MeetingChange> {
  await authorizeMeeting(ctx, input.callId, 'meeting:moderate');
  const ids = input.proposalIds.map((id) => new Types.ObjectId(id));
  const found = await ctx.models.Proposal.find({ _id: { $in: ids }, callId: new Types.ObjectId(input.callId) }, { _id: 1 }).lean();
  const known = new Set(found.map((p) => String(p._id)));
  const unknown = input.proposalIds.filter((id) => !known.has(id));
  if (unknown.length) {
    throw new AgendaInvalidError('The agenda names proposals that are not in this call', { proposalIds: unknown.join(', ') });
  }
  const meeting = await rewriteMeeting(ctx.models, input.callId, () => ({ $set: { agenda: ids } }));
  return { kind: 'agenda', meeting: meeting! };
}

/**
 * Moves everyone to an agenda item, or ends the discussion (`null`). Whoever does it must be
 * allowed to moderate both the item being left and the one being started; the item being left
 * has its running timer paused.
 * @throws NotFoundError, ForbiddenError, AgendaInvalidError when the proposal is not on the agenda.
 */
export async function setCurrent(ctx: MeetingContext, input: CurrentSetInput): Promise<MeetingChange | null> {
  await authorizeMeeting(ctx, input.callId, 'meeting:read');
  if (input.proposalId) await authorizeItem(ctx, input.callId, input.proposalId, 'meeting:moderate');
  const meeting = await rewriteMeeting(ctx.models, input.callId, async (m) => {
    const previous = currentOf(m);
    if (previous === input.proposalId) return null;
    if (previous) await authorizeItem(ctx, input.callId, previous, 'meeting:moderate');
    if (input.proposalId && !m.agenda.some((id) => String(id) === input.proposalId)) {
      throw new AgendaInvalidError('That proposal is not on the agenda', { proposalId: input.proposalId });
    }
    const timers = m.timers.map((t) => (String(t.proposalId) === previous && t.runningSince ? pauseTimer(t, ctx.now) : t));
    const current = input.proposalId ? { proposalId: new Types.ObjectId(input.proposalId), startedAt: ctx.now } : null;
    return { $set: { current, timers } };
  });
  return meeting ? { kind: 'current', meeting } : null;
}

/**
 * Starts, pauses or resets an item's timer (its moderators only). Times are the server's, so
 * every client counts down from the same instant.
 * @throws NotFoundError, ForbiddenError
 */
export async function controlTimer(ctx: MeetingContext, input: TimerControlInput): Promise<MeetingChange | null> {
  await authorizeItem(ctx, input.callId, input.proposalId, 'meeting:moderate');
  const proposalId = new Types.ObjectId(input.proposalId);
  const durationMs = input.durationSeconds === undefined ? undefined : input.durationSeconds * 1000;
  const meeting = await rewriteMeeting(ctx.models, input.callId, (m) => {
    const existing = m.timers.find((t) => String(t.proposalId) === input.proposalId);
    let next: StoredTimer;
    if (input.action === 'start') next = startTimer(existing, proposalId, ctx.now, durationMs, DEFAULT_TIMER_MS);
    else if (input.action === 'reset') next = resetTimer(existing, proposalId, durationMs, DEFAULT_TIMER_MS);
    else if (existing?.runningSince) next = pauseTimer(existing, ctx.now);
    else return null;
    if (next === existing) return null; // already running
    const timers = existing ? m.timers.map((t) => (t === existing ? next : t)) : [...m.timers, next];
    return { $set: { timers } };
  });
  return meeting ? { kind: 'timer', meeting, proposalId: input.proposalId } : null;
}

/**
 * Puts the person's hand up at the end of the queue (once: a second raise changes nothing).
 * @throws NotFoundError, ForbiddenError (observers; people conflicted with the item under discussion)
 */
export async function raiseHand(ctx: MeetingContext, callId: string): Promise<MeetingChange | null> {
  const { meeting } = await readMeeting(ctx, callId);
  await authorizeFloor(ctx, callId, currentOf(meeting), 'meeting:participate');
  const userId = new Types.ObjectId(ctx.user.id);
  const updated = await updateMeeting(
    ctx.models,
    callId,
    { 'hands.userId': { $ne: userId } },
    { $push: { hands: { userId, name: ctx.user.name, raisedAt: ctx.now } } },
  );
  return updated ? { kind: 'hands', meeting: updated } : null;
}

/**
 * Lowers a hand: one's own, or (for whoever moderates the floor) anyone's.
 * @throws NotFoundError, ForbiddenError
 */
export async function lowerHand(ctx: MeetingContext, input: HandLowerInput): Promise<MeetingChange | null> {
  const { meeting } = await readMeeting(ctx, input.callId);
  const userId = input.userId ?? ctx.user.id;
  if (userId !== ctx.user.id) await authorizeFloor(ctx, input.callId, currentOf(meeting), 'meeting:moderate');
  const id = new Types.ObjectId(userId);
  const updated = await updateMeeting(ctx.models, input.callId, { 'hands.userId': id }, { $pull: { hands: { userId: id } } });
  return updated ? { kind: 'hands', meeting: updated } : null;
}

/**
 * Empties the hand-raise queue (whoever moderates the floor).
 * @throws NotFoundError, ForbiddenError
 */
export async function clearHands(ctx: MeetingContext, callId: string): Promise<MeetingChange | null> {
  const { meeting } = await readMeeting(ctx, callId);
  await authorizeFloor(ctx, callId, currentOf(meeting), 'meeting:moderate');
  if (meeting.hands.length === 0) return null;
  const updated = await updateMeeting(ctx.models, callId, {}, { $set: { hands: [] } });
  return { kind: 'hands', meeting: updated! };
}

/**
 * Gives the floor to the first hand in the queue and takes it off. The removal matches that
 * person still being first, so two moderators clicking at once call two different people.
 * @throws NotFoundError, ForbiddenError
 */
export async function callNext(ctx: MeetingContext, callId: string): Promise<MeetingChange | null> {
  // Each lost race means another moderator called someone: retry on the new queue head, a few times.
  for (let attempt = 0; attempt < 6; attempt++) {
    const { meeting } = await readMeeting(ctx, callId);
    await authorizeFloor(ctx, callId, currentOf(meeting), 'meeting:moderate');
    const first = meeting.hands[0];
    if (!first) return null;
    const updated = await updateMeeting(ctx.models, callId, { 'hands.0.userId': first.userId }, { $pull: { hands: { userId: first.userId } } });
    if (updated) return { kind: 'hands', meeting: updated, called: { userId: String(first.userId), name: first.name } };
  }
  return null;
}
