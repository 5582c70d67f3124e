import { AppError } from '../../errors.js';
import type { MeetingDoc } from './meetingStore.js';

/**
 * What a meeting command changed, for the socket layer to tell everyone (each person filtered
 * for their conflicts). `meeting` is the document after the change; its `seq` numbers the event.
 */
export type MeetingChange =
  | { kind: 'agenda'; meeting: MeetingDoc }
  | { kind: 'current'; meeting: MeetingDoc }
  | { kind: 'timer'; meeting: MeetingDoc; proposalId: string }
  | { kind: 'hands'; meeting: MeetingDoc; called?: { userId: string; name: string } }
  | { kind: 'attendance'; meeting: MeetingDoc }
  | { kind: 'poll'; meeting: MeetingDoc; pollId: string; proposalId: string }
  | { kind: 'decision'; meeting: MeetingDoc; decisionId: string; proposalId: string };

/** An agenda that names a proposal outside the call, or an item that is not on the agenda. */
export class AgendaInvalidError extends AppError {
  constructor(message: string, fields?: Record<string, string>) {
    super(400, 'agenda_invalid', message, fields);
  }
}

/** A vote in, or the closing of, a poll that does not exist or is already closed. */
export class PollNotOpenError extends AppError {
  constructor(message = 'This poll is closed') {
    super(409, 'poll_not_open', message);
  }
}
