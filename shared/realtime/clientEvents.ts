import type { z } from 'zod';
import type { ClientEventName } from './events';
import {
  AgendaSetSchema,
  CommentSubscribeSchema,
  CurrentSetSchema,
  DecisionRecordSchema,
  HandLowerSchema,
  MeetingRefSchema,
  PollCloseSchema,
  PollOpenSchema,
  PollVoteSchema,
  TimerControlSchema,
} from './meetingSchemas';
import { ReviewSubscribeSchema } from './reviewSchemas';

/**
 * Every client-to-server event with the zod schema its payload is validated with. The mapped type
 * makes a new event in `ClientToServerEvents` a compile error here until it is listed, and the
 * security tests enumerate this object at run time (access for each event, fuzzed payloads), so
 * an event added without its tests fails them.
 */
export const CLIENT_EVENT_SCHEMAS = {
  'meeting:join': MeetingRefSchema,
  'meeting:leave': MeetingRefSchema,
  'meeting:sync': MeetingRefSchema,
  'meeting:setAgenda': AgendaSetSchema,
  'meeting:setCurrent': CurrentSetSchema,
  'meeting:controlTimer': TimerControlSchema,
  'meeting:raiseHand': MeetingRefSchema,
  'meeting:lowerHand': HandLowerSchema,
  'meeting:clearHands': MeetingRefSchema,
  'meeting:callNext': MeetingRefSchema,
  'meeting:openPoll': PollOpenSchema,
  'meeting:vote': PollVoteSchema,
  'meeting:closePoll': PollCloseSchema,
  'meeting:recordDecision': DecisionRecordSchema,
  'comment:subscribe': CommentSubscribeSchema,
  'comment:unsubscribe': CommentSubscribeSchema,
  'review:subscribe': ReviewSubscribeSchema,
  'review:unsubscribe': ReviewSubscribeSchema,
} as const satisfies { [E in ClientEventName]: z.ZodType };

/** The names of every client event, in declaration order. */
export const CLIENT_EVENT_NAMES = Object.keys(CLIENT_EVENT_SCHEMAS) as ClientEventName[];
