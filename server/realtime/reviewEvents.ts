import type { Logger } from 'pino';
import { ReviewSubscribeSchema, type ReviewSubmittedEvent, type ReviewSubscribeInput } from '../../shared/realtime/reviewSchemas.js';
import { loadCallAccess, loadProposalAccess } from '../commands/access/loadAccess.js';
import { isIdString } from '../commands/access/ids.js';
import { loadProposalAccessForMany } from '../commands/access/loadAccessMany.js';
import { reviewFeed } from '../commands/reviews/reviewFeed.js';
import type { Models } from '../models/index.js';
import type { ProposalAccess } from '../policies/access.js';
import { authorize, can } from '../policies/authorize.js';
import { handler, listen } from './acks.js';
import type { GodoIo, GodoSocket } from './types.js';

/**
 * Rooms are per person (the `review:submitted` filter is per person, by the policies), so that a
 * plain room emit carries the event: with the Redis adapter it reaches the person's sockets on
 * every process, without each process re-checking the policies.
 */
const proposalRoom = (proposalId: string, userId: string) => `reviews:proposal:${proposalId}:${userId}`;
const callRoom = (callId: string, userId: string) => `reviews:call:${callId}:${userId}`;
const roomOf = (input: ReviewSubscribeInput, userId: string) =>
  'proposalId' in input ? proposalRoom(input.proposalId, userId) : callRoom(input.callId, userId);

/** Whether the person may read the proposal's reviews or its reconciliation now. */
const mayReadReviews = (access: ProposalAccess) => can(access, 'reconciliation:read') || can(access, 'review:readAll');

/**
 * `review:subscribe` / `review:unsubscribe` for one socket. A proposal subscription needs
 * `reconciliation:read` (or `review:readAll`) on it, a call subscription `call:read`; conflicted
 * people and outsiders get `not_found`, others without the right `forbidden`.
 */
export function registerReviewHandlers(socket: GodoSocket, deps: { models: Models; logger: Logger }): void {
  listen(
    socket,
    'review:subscribe',
    handler(deps.logger, ReviewSubscribeSchema, async (input) => {
      const { id, isAdmin } = socket.data.user;
      if ('proposalId' in input) {
        const { access } = await loadProposalAccess(deps.models, { id, isAdmin }, input.proposalId);
        if (!mayReadReviews(access)) authorize(access, 'reconciliation:read');
      } else {
        const { access } = await loadCallAccess(deps.models, { id, isAdmin }, input.callId);
        authorize(access, 'call:read');
      }
      await socket.join(roomOf(input, id));
      return {};
    }),
  );
  listen(
    socket,
    'review:unsubscribe',
    handler(deps.logger, ReviewSubscribeSchema, async (input) => {
      await socket.leave(roomOf(input, socket.data.user.id));
      return {};
    }),
  );
}

/**
 * The people who may be told about a review of the proposal: its call's members and the platform
 * administrators, each checked by the policies as of now (so a conflicted person, a reviewer who
 * has not submitted their own review yet, or another call's member is never among them).
 * `candidates`: only these people are considered (those following the call or proposal on this
 * process, when it is the only one); each still has to pass the same checks.
 */
async function readersOf(models: Models, event: ReviewSubmittedEvent, candidates: readonly string[] | null): Promise<string[]> {
  if (candidates?.length === 0) return [];
  const people = new Map<string, boolean>();
  let callMemberships: Awaited<ReturnType<typeof loadMembers>> | undefined;
  if (candidates) {
    const users = await models.User.find({ _id: { $in: candidates } }, { isAdmin: 1 }).lean();
    for (const user of users) people.set(String(user._id), Boolean(user.isAdmin));
  } else {
    const [members, admins] = await Promise.all([loadMembers(models, event.callId), models.User.find({ isAdmin: true }, { _id: 1 }).lean()]);
    for (const m of members) people.set(String(m.userId), false);
    for (const a of admins) people.set(String(a._id), true);
    callMemberships = members;
  }
  // Everyone's access in one batch of reads (not seven reads per person), judged by the same policies.
  const accesses = await loadProposalAccessForMany(
    models,
    [...people].map(([id, isAdmin]) => ({ id, isAdmin })),
    event.proposalId,
    // The proposal's own call is checked there: members of another call count for nothing.
    callMemberships ? { callMemberships } : {},
  );
  return [...accesses].filter(([, access]) => mayReadReviews(access)).map(([id]) => id);
}

const loadMembers = (models: Models, callId: string) => models.Membership.find({ callId }).lean();

/**
 * The people with a socket on this process following the call or the proposal. Exact only when
 * this is the sole process (no cluster adapter): then nobody else can be told, and nobody need be
 * checked when nobody follows.
 */
function localFollowers(io: GodoIo, event: ReviewSubmittedEvent): string[] {
  const prefixes = [proposalRoom(event.proposalId, ''), callRoom(event.callId, '')];
  const people = new Set<string>();
  for (const [room, sockets] of io.of('/').adapter.rooms) {
    if (sockets.size === 0) continue;
    const prefix = prefixes.find((p) => room.startsWith(p));
    if (prefix && isIdString(room.slice(prefix.length))) people.add(room.slice(prefix.length));
  }
  return [...people];
}

/**
 * Readers lookups shared by events of the same proposal: at most one lookup per proposal runs at
 * a time; events published meanwhile wait for the next one, which starts when the running one
 * ends, so every event's readers are still read after the event was published (never an older
 * answer), but a burst of submissions costs one lookup per database round trip, not one each.
 */
function sharedReaders(models: Models, candidatesOf: (event: ReviewSubmittedEvent) => string[] | null): (event: ReviewSubmittedEvent) => Promise<string[]> {
  type Waiter = { resolve: (readers: string[]) => void; reject: (error: unknown) => void };
  const waiting = new Map<string, Waiter[]>();
  const run = (key: string, event: ReviewSubmittedEvent, group: Waiter[]) => {
    readersOf(models, event, candidatesOf(event))
      .then(
        (readers) => group.forEach((w) => w.resolve(readers)),
        (error: unknown) => group.forEach((w) => w.reject(error)),
      )
      .finally(() => {
        const next = waiting.get(key)!;
        if (next.length === 0) waiting.delete(key);
        else {
          waiting.set(key, []);
          run(key, event, next);
        }
      });
  };
  return (event) =>
    new Promise((resolve, reject) => {
      // Readers depend on the call and proposal only (never on the review's content).
      const key = `${event.callId}:${event.proposalId}`;
      const queue = waiting.get(key);
      if (queue) queue.push({ resolve, reject });
      else {
        waiting.set(key, []);
        run(key, event, [{ resolve, reject }]);
      }
    });
}

/**
 * Delivers `review:submitted` from the review feed (published after the review is stored) to the
 * per-person rooms of everyone allowed, in publication order. Runs on the process that stored the
 * review; the adapter carries the emit to the others (`clustered`). Returns the stop function.
 */
export function relayReviews(io: GodoIo, models: Models, logger: Logger, clustered: boolean): () => void {
  const emit = (event: ReviewSubmittedEvent, readers: string[]) => {
    if (readers.length === 0) return;
    const rooms = readers.flatMap((id) => [proposalRoom(event.proposalId, id), callRoom(event.callId, id)]);
    const payload: ReviewSubmittedEvent = { callId: event.callId, proposalId: event.proposalId, criteria: event.criteria };
    // One emit to all rooms: a socket in both a call and a proposal room receives it once.
    io.to(rooms).emit('review:submitted', payload);
  };
  // In a cluster the followers may be on other processes: everyone who might read is checked.
  const lookup = sharedReaders(models, (event) => (clustered ? null : localFollowers(io, event)));
  let delivering: Promise<void> = Promise.resolve();
  return reviewFeed(models).subscribe((event) => {
    // The lookup starts now, alongside earlier events' lookups; only the emits are chained, to keep
    // publication order. Chaining the lookups too made delivery fall ever further behind under
    // load (each waits for several database round trips).
    const readers = lookup(event);
    readers.catch(() => undefined);
    delivering = delivering
      .then(async () => emit(event, await readers))
      .catch((error) => logger.warn({ err: error }, 'reviews: live delivery failed'));
  });
}
