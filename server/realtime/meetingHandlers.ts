import type { Logger } from 'pino';
import type { z } from 'zod';
import {
  AgendaSetSchema,
  CurrentSetSchema,
  DecisionRecordSchema,
  HandLowerSchema,
  MeetingRefSchema,
  PollCloseSchema,
  PollOpenSchema,
  PollVoteSchema,
  TimerControlSchema,
} from '../../shared/realtime/meetingSchemas.js';
import type { ClientEventName } from '../../shared/realtime/events.js';
import { readMeeting, type MeetingContext } from '../commands/meetings/meetingAccess.js';
import type { MeetingChange } from '../commands/meetings/meetingChange.js';
import { callNext, clearHands, controlTimer, lowerHand, raiseHand, setAgenda, setCurrent } from '../commands/meetings/meetingCommands.js';
import { nextSeq } from '../commands/meetings/meetingStore.js';
import { closePoll, openPoll, recordDecision } from '../commands/meetings/pollCommands.js';
import { failFastWhileDatabaseDown, isDatabaseKnownDown } from '../db/dbHealth.js';
import type { Models } from '../models/index.js';
import type { CallAccess } from '../policies/access.js';
import { handler, listen } from './acks.js';
import type { MeetingBroadcaster } from './meetingBroadcast.js';
import { meetingRoom, type MeetingRooms } from './meetingRooms.js';
import type { GodoSocket, MeetingPresence } from './types.js';
import type { VoteBatcher } from './voteBatcher.js';

/** What the meeting handlers of one socket work with. */
export interface MeetingHandlerDeps {
  models: Models;
  logger: Logger;
  clock: () => Date;
  rooms: MeetingRooms;
  broadcaster: MeetingBroadcaster;
  /** True once the server is shutting down: departures are then not announced. */
  closing: () => boolean;
  /** Presence across processes (REDIS_URL); absent with one process. */
  presence?: MeetingPresence;
  /** Batches simultaneous votes of a meeting into one write and broadcast (one per realtime server). */
  votes: VoteBatcher;
}

/**
 * Takes a socket out of a meeting: leaves its room, forgets it in the presence, and tells the
 * others when it was the person's last socket there. Run inside the meeting's queue
 * (`rooms.run(callId, ...)`). Shared by the voluntary leave, the disconnect, and the access
 * re-check (liveAccessRecheck.ts), so a removed member departs exactly as one who left.
 */
export async function departMeeting(
  socket: GodoSocket,
  deps: Pick<MeetingHandlerDeps, 'models' | 'rooms' | 'broadcaster' | 'closing' | 'presence'>,
  callId: string,
): Promise<void> {
  if (!socket.data.meetings.delete(callId)) return;
  await socket.leave(meetingRoom(callId));
  const left = deps.rooms.depart(callId, socket.id, socket.data.user.id);
  if (left) await deps.presence?.departed(callId, socket.data.user.id);
  // The attendance needs a seq from the database: while it is known away the others' attendance
  // catches up with the next change instead of this departure waiting out server selection in the queue.
  if (left && !deps.closing() && !isDatabaseKnownDown(deps.models)) {
    await deps.broadcaster.broadcast({ kind: 'attendance', meeting: await nextSeq(deps.models, callId) });
  }
}

/** What the attendance shows of a person's access: their role (admins without one as admin) and side. */
export const attendeeRole = (access: CallAccess) => ({ role: access.membership?.role ?? ('admin' as const), agency: access.membership?.agency ?? null });

type MeetingCommand<S extends z.ZodType> = (ctx: MeetingContext, input: z.infer<S>) => Promise<MeetingChange | null>;

/**
 * The meeting's events for one socket: join/leave/sync, and every moderator and participant
 * command. Each runs in its meeting's queue: command (authorize, write, take a seq), then the
 * broadcast of its change, then the acknowledgement with that seq. Votes take their place in the
 * same queue but are written in batches (voteBatcher.ts).
 */
export function registerMeetingHandlers(socket: GodoSocket, deps: MeetingHandlerDeps): void {
  const { models, logger, rooms, broadcaster } = deps;
  const context = (): MeetingContext => {
    const { id, isAdmin, name } = socket.data.user;
    return { models, user: { id, isAdmin, name }, now: deps.clock() };
  };

  async function join(callId: string): Promise<{ seq: number }> {
    const ctx = context();
    const { access, meeting } = await readMeeting(ctx, callId);
    if (socket.data.meetings.has(callId)) {
      socket.data.meetings.set(callId, access);
      await broadcaster.sendState(socket, meeting);
      return { seq: meeting.seq };
    }
    const membership = await models.Membership.findOne({ callId, userId: ctx.user.id }, { timeZone: 1 }).lean();
    // Gone while we were reading: its disconnect handler did not know this meeting, so it must not be counted present.
    if (!socket.connected) return { seq: meeting.seq };
    socket.data.meetings.set(callId, access);
    await socket.join(meetingRoom(callId));
    const attendee = {
      userId: ctx.user.id,
      name: ctx.user.name,
      ...attendeeRole(access),
      timeZone: membership?.timeZone ?? socket.data.user.timeZone,
      since: ctx.now.toISOString(),
    };
    const arrived = rooms.attend(callId, socket.id, attendee);
    let latest = meeting;
    if (arrived) {
      await deps.presence?.arrived(callId, attendee);
      latest = await nextSeq(models, callId);
      await broadcaster.broadcast({ kind: 'attendance', meeting: latest }, { except: socket.id });
    }
    await broadcaster.sendState(socket, latest);
    return { seq: latest.seq };
  }

  const depart = (callId: string) => departMeeting(socket, deps, callId);

  async function sync(callId: string): Promise<{ seq: number }> {
    if (!socket.data.meetings.has(callId)) return join(callId);
    const { access, meeting } = await readMeeting(context(), callId);
    socket.data.meetings.set(callId, access);
    await broadcaster.sendState(socket, meeting);
    return { seq: meeting.seq };
  }

  // Every task that needs the database fails at once, in its turn, while the database is known away.
  const withDatabase = <T>(task: () => Promise<T>) => async () => {
    failFastWhileDatabaseDown(models);
    return task();
  };

  /** A command event: queued per meeting, broadcast, acknowledged with the change's seq (none when nothing changed). */
  function command<S extends z.ZodType<{ callId: string }>>(event: ClientEventName, schema: S, run: MeetingCommand<S>) {
    listen(
      socket,
      event,
      handler(logger, schema, (input: z.infer<S>) =>
        rooms.run(
          input.callId,
          withDatabase(async () => {
            const change = await run(context(), input);
            if (!change) return {};
            await broadcaster.broadcast(change);
            return { seq: change.meeting.seq, ...(change.kind === 'poll' ? { pollId: change.pollId } : {}) };
          }),
        ),
      ),
    );
  }
  listen(socket, 'meeting:join', handler(logger, MeetingRefSchema, ({ callId }) => rooms.run(callId, withDatabase(() => join(callId)))));
  listen(socket, 'meeting:sync', handler(logger, MeetingRefSchema, ({ callId }) => rooms.run(callId, withDatabase(() => sync(callId)))));
  listen(
    socket,
    'meeting:leave',
    handler(logger, MeetingRefSchema, ({ callId }) => rooms.run(callId, () => depart(callId)).then(() => ({}))),
  );
  command('meeting:setAgenda', AgendaSetSchema, setAgenda);
  command('meeting:setCurrent', CurrentSetSchema, setCurrent);
  command('meeting:controlTimer', TimerControlSchema, controlTimer);
  command('meeting:raiseHand', MeetingRefSchema, (ctx, input) => raiseHand(ctx, input.callId));
  command('meeting:lowerHand', HandLowerSchema, lowerHand);
  command('meeting:clearHands', MeetingRefSchema, (ctx, input) => clearHands(ctx, input.callId));
  command('meeting:callNext', MeetingRefSchema, (ctx, input) => callNext(ctx, input.callId));
  command('meeting:openPoll', PollOpenSchema, openPoll);
  // Not a plain command: simultaneous votes share one queued write and broadcast (voteBatcher.ts),
  // each still checked and acknowledged on its own.
  listen(socket, 'meeting:vote', handler(logger, PollVoteSchema, (input) => deps.votes.submit(context(), input)));
  command('meeting:closePoll', PollCloseSchema, closePoll);
  command('meeting:recordDecision', DecisionRecordSchema, recordDecision);

  socket.on('disconnect', () => {
    for (const callId of [...socket.data.meetings.keys()]) {
      rooms.run(callId, () => depart(callId)).catch((error) => logger.warn({ err: error, callId }, 'meeting: departure failed'));
    }
  });
}
