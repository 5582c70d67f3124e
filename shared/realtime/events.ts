import type { ErrorCode } from '../schemas/apiError';
import type { CommentDto, CommentErrorCode } from '../schemas/comment';
import type {
  AgendaSetInput,
  CommentSubscribeInput,
  CurrentSetInput,
  DecisionRecordInput,
  HandLowerInput,
  MeetingRefInput,
  PollCloseInput,
  PollOpenInput,
  PollVoteInput,
  TimerControlInput,
} from './meetingSchemas';
import type {
  AgendaEntry,
  Attendee,
  CurrentItem,
  MeetingDecision,
  MeetingEventBase,
  MeetingPerson,
  MeetingState,
  PollView,
  RaisedHand,
  TimerState,
} from './meetingState';
import type { ReviewSubmittedEvent, ReviewSubscribeInput } from './reviewSchemas';

/** Error codes of the meeting besides the common ones. */
export const MEETING_ERROR_CODES = ['agenda_invalid', 'poll_not_open'] as const;
export type MeetingErrorCode = (typeof MEETING_ERROR_CODES)[number];

/**
 * Why `meeting:leaveRequested` asks someone to leave the room: a code, not a sentence, so the
 * client words it in the person's language (`meeting.leave.reason.<reason>`). A union so that
 * other reasons can be added later.
 */
export const LEAVE_REASONS = ['conflict'] as const;
export type LeaveReason = (typeof LEAVE_REASONS)[number];

/** Every code a socket acknowledgement or handshake refusal can carry. */
export type RealtimeErrorCode = ErrorCode | MeetingErrorCode | CommentErrorCode;

/** The error half of every acknowledgement (and the `data` of a refused handshake). */
export interface RealtimeError {
  code: RealtimeErrorCode;
  message: string;
  fields?: Record<string, string>;
}

/** Every acknowledgement: `{ok: true, ...result}` or `{ok: false, error}`. */
export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: RealtimeError };
export type AckCallback<T extends object = object> = (response: Ack<T>) => void;

/** What a meeting command acknowledges: the sequence number of the change it made (absent when nothing changed). */
export type MeetingAck = AckCallback<{ seq?: number }>;

/**
 * Events a client sends, `resource:verb`. Every payload is validated on the server with the zod
 * schema of the same name in `meetingSchemas.ts`; an invalid one is answered with
 * `validation_failed` (or ignored when the client gave no acknowledgement callback).
 */
export interface ClientToServerEvents {
  /** Enter a meeting: the server answers with `meeting:state`, then the ack. */
  'meeting:join': (payload: MeetingRefInput, ack?: MeetingAck) => void;
  'meeting:leave': (payload: MeetingRefInput, ack?: MeetingAck) => void;
  /** Ask for the full state again (after a gap in `seq`). */
  'meeting:sync': (payload: MeetingRefInput, ack?: MeetingAck) => void;
  'meeting:setAgenda': (payload: AgendaSetInput, ack?: MeetingAck) => void;
  'meeting:setCurrent': (payload: CurrentSetInput, ack?: MeetingAck) => void;
  'meeting:controlTimer': (payload: TimerControlInput, ack?: MeetingAck) => void;
  'meeting:raiseHand': (payload: MeetingRefInput, ack?: MeetingAck) => void;
  'meeting:lowerHand': (payload: HandLowerInput, ack?: MeetingAck) => void;
  'meeting:clearHands': (payload: MeetingRefInput, ack?: MeetingAck) => void;
  /** Gives the floor to the first raised hand and takes it off the queue. */
  'meeting:callNext': (payload: MeetingRefInput, ack?: MeetingAck) => void;
  'meeting:openPoll': (payload: PollOpenInput, ack?: AckCallback<{ seq?: number; pollId: string }>) => void;
  'meeting:vote': (payload: PollVoteInput, ack?: MeetingAck) => void;
  'meeting:closePoll': (payload: PollCloseInput, ack?: MeetingAck) => void;
  'meeting:recordDecision': (payload: DecisionRecordInput, ack?: MeetingAck) => void;
  /** Receive a proposal's comments live (`comment:created`, `comment:updated`). */
  'comment:subscribe': (payload: CommentSubscribeInput, ack?: AckCallback) => void;
  'comment:unsubscribe': (payload: CommentSubscribeInput, ack?: AckCallback) => void;
  /**
   * Receive `review:submitted` for one proposal (`{proposalId}`: needs `reconciliation:read` or
   * `review:readAll` there) or for a whole call (`{callId}`: needs `call:read`; each event is
   * still checked per proposal). Schema: `ReviewSubscribeSchema` in `reviewSchemas.ts`.
   */
  'review:subscribe': (payload: ReviewSubscribeInput, ack?: AckCallback) => void;
  'review:unsubscribe': (payload: ReviewSubscribeInput, ack?: AckCallback) => void;
}

/**
 * Events the server sends. Meeting events carry `seq`; a socket that may not see an event (it
 * concerns a proposal the person is conflicted with) receives `meeting:withheld` with the same
 * `seq` instead, so its sequence has no gap and it learns nothing.
 */
export interface ServerToClientEvents {
  'meeting:state': (state: MeetingState) => void;
  'meeting:agendaChanged': (event: MeetingEventBase & { agenda: AgendaEntry[] }) => void;
  'meeting:currentChanged': (event: MeetingEventBase & { current: CurrentItem | null }) => void;
  /** "Please leave the room": the item now under discussion is one the person is conflicted with (`reason: 'conflict'`). */
  'meeting:leaveRequested': (event: MeetingEventBase & { proposalId: string; reason: LeaveReason }) => void;
  'meeting:timerChanged': (event: MeetingEventBase & { timer: TimerState }) => void;
  'meeting:handsChanged': (event: MeetingEventBase & { hands: RaisedHand[]; called?: MeetingPerson }) => void;
  'meeting:attendanceChanged': (event: MeetingEventBase & { attendance: Attendee[] }) => void;
  'meeting:pollChanged': (event: MeetingEventBase & { poll: PollView }) => void;
  'meeting:decisionRecorded': (event: MeetingEventBase & { decision: MeetingDecision }) => void;
  'meeting:withheld': (event: MeetingEventBase) => void;
  /**
   * The person may no longer follow the meeting (removed from the call, or their new role does
   * not allow it): the socket has been taken out as if it had left. Not part of the `seq` order.
   */
  'meeting:accessEnded': (event: { callId: string }) => void;
  'comment:created': (event: { comment: CommentDto }) => void;
  'comment:updated': (event: { comment: CommentDto }) => void;
  /**
   * The person was mentioned in a new comment, sent to all their sockets (no subscription needed)
   * when they may read it: never for a proposal they are conflicted with, nor an agency thread of
   * another side.
   */
  'comment:mentioned': (event: { comment: CommentDto }) => void;
  /**
   * The person may no longer read the proposal's comments (removed from the call, or now
   * conflicted with it): the subscription has ended as if they had unsubscribed.
   */
  'comment:accessEnded': (event: { proposalId: string }) => void;
  /**
   * A review of a proposal was submitted (or a submitted one changed), sent only to subscribed
   * sockets whose person may read that proposal's reviews or reconciliation now. No scores.
   */
  'review:submitted': (event: ReviewSubmittedEvent) => void;
}

/** Names of the server's events, for clients that record or replay them. */
export type ServerEventName = keyof ServerToClientEvents;
export type ClientEventName = keyof ClientToServerEvents;
