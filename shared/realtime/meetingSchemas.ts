import { z } from 'zod';
import { CriterionKeySchema, IdSchema, text } from '../schemas/common';

/** Bounds of the panel meeting's inputs (the client shows them next to its controls). */
export const MEETING_LIMITS = {
  /** NSF panels discuss 60–90 proposals; a call of several hundred still fits. */
  agendaItems: 500,
  /** A decision as it is taken at the table ("fund, subject to budget cut of 10%"). */
  outcome: 2_000,
  minTimerSeconds: 10,
  maxTimerSeconds: 4 * 3600,
  /** What a timer starts at when the moderator gives no duration. */
  defaultTimerSeconds: 10 * 60,
} as const;

/**
 * Client-to-server payloads of the panel meeting. Every event names its call, so one socket can
 * follow several meetings; every object is strict, so unknown or operator-shaped fields fail.
 */
export const MeetingRefSchema = z.strictObject({ callId: IdSchema });
export type MeetingRefInput = z.infer<typeof MeetingRefSchema>;

/** The moderator's agenda: proposal ids in discussion order, each at most once. */
export const AgendaSetSchema = z.strictObject({
  callId: IdSchema,
  proposalIds: z
    .array(IdSchema)
    .max(MEETING_LIMITS.agendaItems)
    .refine((ids) => new Set(ids).size === ids.length, { message: 'lists a proposal twice' }),
});
export type AgendaSetInput = z.infer<typeof AgendaSetSchema>;

/** Moves everyone to a proposal of the agenda, or ends the discussion (`null`). */
export const CurrentSetSchema = z.strictObject({ callId: IdSchema, proposalId: IdSchema.nullable() });
export type CurrentSetInput = z.infer<typeof CurrentSetSchema>;

export const TIMER_ACTIONS = ['start', 'pause', 'reset'] as const;
export type TimerAction = (typeof TIMER_ACTIONS)[number];

/** Starts, pauses or resets an item's timer; a duration (re)sets it to that many seconds. */
export const TimerControlSchema = z.strictObject({
  callId: IdSchema,
  proposalId: IdSchema,
  action: z.enum(TIMER_ACTIONS),
  durationSeconds: z.number().int().min(MEETING_LIMITS.minTimerSeconds).max(MEETING_LIMITS.maxTimerSeconds).optional(),
});
export type TimerControlInput = z.infer<typeof TimerControlSchema>;

/** Lowers a hand: one's own without `userId`; anyone's for a moderator. */
export const HandLowerSchema = z.strictObject({ callId: IdSchema, userId: IdSchema.optional() });
export type HandLowerInput = z.infer<typeof HandLowerSchema>;

/** Opens a straw poll on a consensus score: one proposal, one criterion of the call, its scale. */
export const PollOpenSchema = z.strictObject({ callId: IdSchema, proposalId: IdSchema, criterion: CriterionKeySchema });
export type PollOpenInput = z.infer<typeof PollOpenSchema>;

/** A vote (or a changed vote) in an open poll; the server checks it is a mark on the criterion's scale. */
export const PollVoteSchema = z.strictObject({ callId: IdSchema, pollId: IdSchema, value: z.number().finite() });
export type PollVoteInput = z.infer<typeof PollVoteSchema>;

export const PollCloseSchema = z.strictObject({ callId: IdSchema, pollId: IdSchema });
export type PollCloseInput = z.infer<typeof PollCloseSchema>;

/** A decision as it is taken, written into the meeting log. */
export const DecisionRecordSchema = z.strictObject({
  callId: IdSchema,
  proposalId: IdSchema,
  outcome: text(MEETING_LIMITS.outcome),
});
export type DecisionRecordInput = z.infer<typeof DecisionRecordSchema>;

/** Live comments of one proposal (`comment:subscribe` / `comment:unsubscribe`). */
export const CommentSubscribeSchema = z.strictObject({ proposalId: IdSchema });
export type CommentSubscribeInput = z.infer<typeof CommentSubscribeSchema>;
