import { Types } from 'mongoose';
import type { Logger } from 'pino';
import { CommentSubscribeSchema } from '../../shared/realtime/meetingSchemas.js';
import { accessChangesSoFar } from '../commands/access/accessChanges.js';
import { loadProposalAccess } from '../commands/access/loadAccess.js';
import { loadProposalAccessForMany } from '../commands/access/loadAccessMany.js';
import { commentFeed, type CommentFeedEvent } from '../commands/comments/commentFeed.js';
import type { Models } from '../models/index.js';
import { commentVisibleTo } from '../commands/comments/visibility.js';
import type { CommentDto } from '../../shared/schemas/comment.js';
import { authorize, can } from '../policies/authorize.js';
import { handler, listen } from './acks.js';
import { socketsIn, type GodoIo, type GodoSocket } from './types.js';

/** Rooms of a proposal's comments: one for panel threads, one per agency side for agency threads. */
const panelRoom = (proposalId: string) => `comments:${proposalId}:panel`;
const agencyRoom = (proposalId: string, agency: string) => `comments:${proposalId}:agency:${agency}`;
/** Every socket of a person, for `comment:mentioned` (no subscription needed to be told). */
const personRoom = (userId: string) => `comments:person:${userId}`;

/**
 * `comment:subscribe` / `comment:unsubscribe` for one socket. Subscribing is `comment:read` on the
 * proposal (conflicted people and outsiders get `not_found`); the socket joins the panel room and
 * its own agency's room.
 */
export function registerCommentHandlers(socket: GodoSocket, deps: { models: Models; logger: Logger }): void {
  void socket.join(personRoom(socket.data.user.id));
  listen(
    socket,
    'comment:subscribe',
    handler(deps.logger, CommentSubscribeSchema, async ({ proposalId }) => {
      const { id, isAdmin } = socket.data.user;
      const changesBefore = accessChangesSoFar();
      const { access } = await loadProposalAccess(deps.models, { id, isAdmin }, proposalId);
      authorize(access, 'comment:read');
      const agency = access.membership?.agency;
      await socket.join(agency ? [panelRoom(proposalId), agencyRoom(proposalId, agency)] : [panelRoom(proposalId)]);
      socket.data.commentSubscriptions.add(proposalId);
      // An access change announced while we were loading found no subscription to re-check
      // (liveAccessRecheck.ts): check once more. Changes announced from here on find it.
      if (accessChangesSoFar() !== changesBefore) {
        const { access: now } = await loadProposalAccess(deps.models, { id, isAdmin }, proposalId);
        if (!can(now, 'comment:read')) {
          await leaveComments(socket, proposalId);
          authorize(now, 'comment:read');
        }
        await followAgency(socket, proposalId, now.membership?.agency);
      }
      return {};
    }),
  );
  listen(
    socket,
    'comment:unsubscribe',
    handler(deps.logger, CommentSubscribeSchema, async ({ proposalId }) => {
      await leaveComments(socket, proposalId);
      return {};
    }),
  );
}

/** Ends a socket's subscription to a proposal's comments (unsubscribe, and the access re-check of liveAccessRecheck.ts). */
export async function leaveComments(socket: GodoSocket, proposalId: string): Promise<void> {
  for (const room of socket.rooms) if (room.startsWith(`comments:${proposalId}:`)) await socket.leave(room);
  socket.data.commentSubscriptions.delete(proposalId);
}

/** Keeps the socket in its person's agency room of the proposal only (the side may have changed). */
export async function followAgency(socket: GodoSocket, proposalId: string, agency: string | undefined): Promise<void> {
  const own = agency ? agencyRoom(proposalId, agency) : null;
  const prefix = agencyRoom(proposalId, '');
  for (const room of [...socket.rooms]) if (room.startsWith(prefix) && room !== own) await socket.leave(room);
  if (own && !socket.rooms.has(own)) await socket.join(own);
}

/**
 * Delivers the comment feed live: to the sockets of the comment's room (panel, or the thread's
 * agency), minus anyone conflicted with the proposal at the moment of delivery (a conflict
 * declared after subscribing cuts the person off at once). Returns the unsubscribe function.
 */
export function relayComments(io: GodoIo, models: Models, logger: Logger): () => void {
  const deliver = async ({ type, comment }: CommentFeedEvent) => {
    const room =
      comment.visibility === 'panel' ? panelRoom(comment.proposalId) : comment.agency ? agencyRoom(comment.proposalId, comment.agency) : null;
    const sockets = room ? socketsIn(io, room) : [];
    if (sockets.length === 0) return;
    const userIds = [...new Set(sockets.map((s) => s.data.user.id))].map((id) => new Types.ObjectId(id));
    const conflicts = await models.Conflict.find(
      { proposalId: new Types.ObjectId(comment.proposalId), userId: { $in: userIds }, status: { $ne: 'dismissed' } },
      { userId: 1 },
    ).lean();
    const conflicted = new Set(conflicts.map((c) => String(c.userId)));
    for (const socket of sockets) {
      if (conflicted.has(socket.data.user.id)) continue;
      if (type === 'created') socket.emit('comment:created', { comment });
      else socket.emit('comment:updated', { comment });
    }
  };
  const deliverMentions = async (comment: CommentDto) => {
    const online = new Map<string, GodoSocket[]>();
    for (const userId of new Set(comment.mentions)) {
      if (userId === comment.author.userId) continue;
      const sockets = socketsIn(io, personRoom(userId));
      if (sockets.length > 0) online.set(userId, sockets);
    }
    if (online.size === 0) return;
    // Checked as of now through the policies, for everyone mentioned at once (one query per kind,
    // not seven per person): a conflicted person, or someone of another side mentioned in an agency
    // thread, is told nothing. When the check fails, nobody is told (the chain logs it).
    const people = [...online].map(([id, sockets]) => ({ id, isAdmin: sockets[0].data.user.isAdmin }));
    const accesses = await loadProposalAccessForMany(models, people, comment.proposalId);
    for (const [userId, sockets] of online) {
      const access = accesses.get(userId);
      if (!access || !can(access, 'comment:read') || !commentVisibleTo(access, comment)) continue;
      for (const socket of sockets) socket.emit('comment:mentioned', { comment });
    }
  };
  // One delivery at a time, in publication order, so a comment's edit never overtakes its creation.
  let delivering: Promise<void> = Promise.resolve();
  return commentFeed(models).subscribe((event) => {
    delivering = delivering
      .then(() => deliver(event))
      .then(() => (event.type === 'created' && event.comment.mentions.length > 0 ? deliverMentions(event.comment) : undefined))
      .catch((error) => logger.warn({ err: error }, 'comments: live delivery failed'));
  });
}
