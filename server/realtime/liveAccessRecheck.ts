import { Types } from 'mongoose';
import { onAccessChange, type AccessChange } from '../commands/access/accessChanges.js';
import { isIdString } from '../commands/access/ids.js';
import { loadProposalAccessForMany } from '../commands/access/loadAccessMany.js';
import { authorizeMeeting } from '../commands/meetings/meetingAccess.js';
import { ensureMeeting, nextSeq, type MeetingDoc } from '../commands/meetings/meetingStore.js';
import { isDatabaseUnreachable, onDatabaseReconnected } from '../db/dbHealth.js';
import { ForbiddenError, NotFoundError } from '../errors.js';
import type { CallAccess, ProposalAccess } from '../policies/access.js';
import { can } from '../policies/authorize.js';
import { followAgency, leaveComments } from './commentHandlers.js';
import { attendeeRole, departMeeting, type MeetingHandlerDeps } from './meetingHandlers.js';
import { meetingRoom } from './meetingRooms.js';
import { socketsIn, type GodoIo, type GodoSocket } from './types.js';

/** What the re-check works with: the same meeting queue, presence and broadcaster as the meeting handlers. */
export type LiveAccessDeps = Pick<MeetingHandlerDeps, 'models' | 'logger' | 'clock' | 'rooms' | 'broadcaster' | 'closing' | 'presence'>;

/** Whether an announced change may concern this socket's person (all of them when it names nobody). */
const concernsPerson = (change: AccessChange, socket: GodoSocket) => change.userId === undefined || socket.data.user.id === change.userId;

/** The sockets grouped by person: the access is the same for all of one person's sockets. */
function byPerson(sockets: GodoSocket[]): Map<string, GodoSocket[]> {
  const people = new Map<string, GodoSocket[]>();
  for (const socket of sockets) {
    const own = people.get(socket.data.user.id);
    if (own) own.push(socket);
    else people.set(socket.data.user.id, [socket]);
  }
  return people;
}

/** The meeting screen is drawn from role and side (moderate/participate): a new state is sent only when they changed. */
const viewChanged = (before: CallAccess | undefined, after: CallAccess) =>
  before?.membership?.role !== after.membership?.role || before?.membership?.agency !== after.membership?.agency;

/**
 * Re-checks this process's sockets in the call's meeting, inside the meeting's queue (so a join or
 * a departure under way lands first, and the attendance broadcast keeps its place in `seq` order).
 */
async function recheckMeeting(io: GodoIo, deps: LiveAccessDeps, change: AccessChange): Promise<boolean> {
  // Conflicts and sign-offs come with a proposal: they are not in the call-level access a meeting
  // socket holds (each broadcast reads conflicts fresh), so only call-wide changes matter here.
  if (change.proposalId !== undefined) return true;
  let complete = true;
  const { callId } = change;
  const concerned = () => socketsIn(io, meetingRoom(callId)).filter((s) => s.data.meetings.has(callId) && concernsPerson(change, s));
  // Looked for inside the queue only: a join under way (its access read before this change) is
  // in the queue ahead of us and in the room by the time we look. An empty room costs one no-op task.
  await deps.rooms.run(callId, async () => {
    const people = byPerson(concerned());
    // Everyone's check at once: a phase change concerns the whole room, and the queue waits meanwhile.
    const checks = await Promise.all(
      [...people].map(async ([userId, sockets]) => {
        const { id, isAdmin, name } = sockets[0].data.user;
        try {
          // The join's own check (readMeeting authorizes exactly this), by the same policy.
          const access = await authorizeMeeting({ models: deps.models, user: { id, isAdmin, name }, now: deps.clock() }, callId, 'meeting:read');
          return { sockets, access };
        } catch (error) {
          if (error instanceof NotFoundError || error instanceof ForbiddenError) return { sockets, access: null };
          deps.logger.warn({ err: error, callId, userId }, 'meeting: access re-check failed; keeping the sockets until it is retried');
          if (isDatabaseUnreachable(error)) complete = false;
          return null;
        }
      }),
    );
    let meeting: MeetingDoc | undefined;
    let attendanceChanged = false;
    for (const check of checks) {
      if (!check) continue;
      // The attendance shows role and side: refreshed before anyone is sent a state that lists it.
      const reattended = check.access && deps.rooms.reattend(callId, check.sockets[0].data.user.id, attendeeRole(check.access));
      if (reattended) {
        await deps.presence?.arrived(callId, reattended);
        attendanceChanged = true;
      }
      for (const socket of check.sockets) {
        if (!socket.data.meetings.has(callId)) continue; // disconnected meanwhile: its own departure is queued
        if (check.access) {
          const before = socket.data.meetings.get(callId);
          socket.data.meetings.set(callId, check.access);
          if (viewChanged(before, check.access)) await deps.broadcaster.sendState(socket, (meeting ??= await ensureMeeting(deps.models, callId)));
        } else {
          await departMeeting(socket, deps, callId);
          socket.emit('meeting:accessEnded', { callId });
        }
      }
    }
    if (attendanceChanged && !deps.closing()) await deps.broadcaster.broadcast({ kind: 'attendance', meeting: await nextSeq(deps.models, callId) });
  });
  return complete;
}

/** Re-checks this process's comment subscriptions the change may concern, by `comment:read` as `comment:subscribe` does. */
async function recheckComments(io: GodoIo, deps: LiveAccessDeps, change: AccessChange): Promise<boolean> {
  const subscribed = [...io.sockets.sockets.values()].filter((s) => s.data.commentSubscriptions.size > 0 && concernsPerson(change, s));
  if (subscribed.length === 0) return true;
  let complete = true;
  let proposalIds: string[];
  if (change.proposalId !== undefined) {
    proposalIds = [change.proposalId];
  } else {
    // A call-wide change: which of the subscribed proposals are in that call (one query for all of them).
    const ids = [...new Set(subscribed.flatMap((s) => [...s.data.commentSubscriptions]))].filter(isIdString);
    const rows = await deps.models.Proposal.find(
      { _id: { $in: ids.map((id) => new Types.ObjectId(id)) }, callId: new Types.ObjectId(change.callId) },
      { _id: 1 },
    ).lean();
    proposalIds = rows.map((row) => String(row._id));
  }
  await Promise.all(
    proposalIds.map(async (proposalId) => {
      const sockets = subscribed.filter((s) => s.data.commentSubscriptions.has(proposalId));
      if (sockets.length === 0) return;
      const people = [...byPerson(sockets).values()].map((own) => ({ id: own[0].data.user.id, isAdmin: own[0].data.user.isAdmin }));
      let accesses: Map<string, ProposalAccess>;
      try {
        accesses = await loadProposalAccessForMany(deps.models, people, proposalId);
      } catch (error) {
        deps.logger.warn({ err: error, proposalId }, 'comments: access re-check failed; keeping the subscriptions until it is retried');
        if (isDatabaseUnreachable(error)) complete = false;
        return;
      }
      for (const socket of sockets) {
        if (!socket.data.commentSubscriptions.has(proposalId)) continue; // unsubscribed meanwhile
        // Missing: the proposal or its call is gone, which the subscription refuses as not_found too.
        const access = accesses.get(socket.data.user.id);
        if (access && can(access, 'comment:read')) {
          await followAgency(socket, proposalId, access.membership?.agency);
        } else {
          await leaveComments(socket, proposalId);
          socket.emit('comment:accessEnded', { proposalId });
        }
      }
    }),
  );
  return complete;
}

/**
 * How often changes whose re-check could not read the database are re-checked again (and at once
 * when the database is reachable again). Each retry reads the current access, so re-running an old
 * change is harmless: whoever is still allowed keeps their place.
 */
const RETRY_FAILED_MS = 5_000;

/**
 * Re-checks, on every announced access change (a conflict, a phase, a membership, a sign-off; from
 * any process, see accessRelay.ts), this process's meeting sockets and comment subscriptions it
 * concerns, with the same policies as `meeting:join` and `comment:subscribe`. Someone still allowed
 * keeps their place with the access refreshed (a new side moves them to that side's comment room;
 * a new role brings a fresh `meeting:state`); someone no longer allowed is taken out exactly as if
 * they had left or unsubscribed, and told with `meeting:accessEnded` / `comment:accessEnded`. A
 * re-check that cannot reach the database (an outage) is logged and changes nothing then; it is
 * retried every RETRY_FAILED_MS and as soon as Mongoose reports the database reachable again, so
 * someone removed during an outage does not keep their live access until they reconnect. Other
 * failures are logged and not retried (a retry would fail the same way).
 * Returns the stop function.
 */
export function recheckLiveAccess(io: GodoIo, deps: LiveAccessDeps): () => void {
  // Comment re-checks one after another, so an older answer never lands after a newer one.
  let comments: Promise<void> = Promise.resolve();
  /** Changes whose re-check could not reach the database, by what they concern (a repeated change is retried once). */
  const failed = new Map<string, AccessChange>();
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const retry = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (stopped || failed.size === 0) return;
    const changes = [...failed.values()];
    failed.clear();
    deps.logger.info({ changes: changes.length }, 'live access: retrying re-checks that could not read the database');
    for (const change of changes) recheck(change);
  };
  const remember = (change: AccessChange) => {
    if (stopped) return;
    failed.set(JSON.stringify([change.callId, change.proposalId ?? null, change.userId ?? null]), change);
    if (timer) return;
    timer = setTimeout(retry, RETRY_FAILED_MS);
    timer.unref();
  };
  const recheck = (change: AccessChange) => {
    recheckMeeting(io, deps, change).then(
      (complete) => void (complete || remember(change)),
      (error: unknown) => {
        deps.logger.warn({ err: error, change }, 'meeting: access re-check failed');
        if (isDatabaseUnreachable(error)) remember(change);
      },
    );
    comments = comments
      .then(() => recheckComments(io, deps, change))
      .then(
        (complete) => void (complete || remember(change)),
        (error: unknown) => {
          deps.logger.warn({ err: error, change }, 'comments: access re-check failed; keeping the subscriptions until it is retried');
          if (isDatabaseUnreachable(error)) remember(change);
        },
      );
  };
  const stopReconnects = onDatabaseReconnected(deps.models, retry);
  const stopChanges = onAccessChange(recheck);
  return () => {
    stopped = true;
    stopChanges();
    stopReconnects();
    if (timer) clearTimeout(timer);
    timer = null;
  };
}
