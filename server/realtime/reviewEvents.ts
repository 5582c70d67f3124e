import type { Logger } from 'pino';
import { ReviewSubscribeSchema, type ReviewSubmittedEvent, type ReviewSubscribeInput } from '../../shared/realtime/reviewSchemas.js';
import { loadCallAccess, loadProposalAccess } from '../commands/access/loadAccess.js';
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
 */
async function readersOf(models: Models, event: ReviewSubmittedEvent): Promise<string[]> {
  const [members, admins] = await Promise.all([
    models.Membership.find({ callId: event.callId }, { userId: 1 }).lean(),
    models.User.find({ isAdmin: true }, { _id: 1 }).lean(),
  ]);
  const people = new Map<string, boolean>();
  for (const m of members) people.set(String(m.userId), false);
  for (const a of admins) people.set(String(a._id), true);
  const allowed = await Promise.all(
    [...people].map(async ([id, isAdmin]) => {
      try {
        const { access } = await loadProposalAccess(models, { id, isAdmin }, event.proposalId);
        return mayReadReviews(access) ? id : null;
      } catch {
        return null;
      }
    }),
  );
  return allowed.filter((id): id is string => id !== null);
}

/**
 * Delivers `review:submitted` from the review feed (published after the review is stored) to the
 * per-person rooms of everyone allowed, in publication order. Runs on the process that stored the
 * review; the adapter carries the emit to the others. Returns the stop function.
 */
export function relayReviews(io: GodoIo, models: Models, logger: Logger): () => void {
  const deliver = async (event: ReviewSubmittedEvent) => {
    const readers = await readersOf(models, event);
    if (readers.length === 0) return;
    const rooms = readers.flatMap((id) => [proposalRoom(event.proposalId, id), callRoom(event.callId, id)]);
    const payload: ReviewSubmittedEvent = { callId: event.callId, proposalId: event.proposalId, criteria: event.criteria };
    // One emit to all rooms: a socket in both a call and a proposal room receives it once.
    io.to(rooms).emit('review:submitted', payload);
  };
  let delivering: Promise<void> = Promise.resolve();
  return reviewFeed(models).subscribe((event) => {
    delivering = delivering.then(() => deliver(event)).catch((error) => logger.warn({ err: error }, 'reviews: live delivery failed'));
  });
}
