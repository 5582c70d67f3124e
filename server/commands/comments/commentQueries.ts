import { Types } from 'mongoose';
import { COMMENT_LIMITS, type CommentDto, type CommentUnreadDto } from '../../../shared/schemas/comment.js';
import { authorize } from '../../policies/authorize.js';
import { conflictedProposalIds, loadCallAccess, loadProposalAccess } from '../access/loadAccess.js';
import type { CommandContext } from '../calls/callCommands.js';
import { presentComments, type StoredComment } from './commentSupport.js';
import { visibleCommentsFilter } from './visibility.js';

/** Unread: someone else's comment, not deleted, created after the person last marked the proposal read. */
function unreadFilter(ctx: CommandContext) {
  return { authorId: { $ne: new Types.ObjectId(ctx.user.id) }, deletedAt: null };
}

/**
 * Every comment of a proposal the person may see, oldest first (threads are rebuilt by the client
 * from `threadId`), with how many of them are unread.
 * @throws NotFoundError (no such proposal, not a member, conflicted)
 */
export async function listComments(ctx: CommandContext, proposalId: string) {
  const { access, proposal } = await loadProposalAccess(ctx.models, ctx.user, proposalId);
  authorize(access, 'comment:read');
  const visible = { proposalId: proposal._id, ...visibleCommentsFilter(access) };
  const [comments, marker] = await Promise.all([
    ctx.models.Comment.find(visible).sort({ createdAt: 1, _id: 1 }).lean(),
    ctx.models.CommentRead.findOne({ userId: new Types.ObjectId(ctx.user.id), proposalId: proposal._id }).lean(),
  ]);
  const readAt = marker?.readAt ?? null;
  const unread = comments.filter(
    (c) => String(c.authorId) !== ctx.user.id && !c.deletedAt && (!readAt || c.createdAt > readAt),
  ).length;
  return {
    comments: await presentComments(ctx.models, comments as StoredComment[]),
    unread,
    readAt: readAt?.toISOString() ?? null,
  };
}

/**
 * Marks everything the person can see on the proposal as read, as of now.
 * @throws NotFoundError
 */
export async function markCommentsRead(ctx: CommandContext, proposalId: string) {
  const { access, proposal } = await loadProposalAccess(ctx.models, ctx.user, proposalId);
  authorize(access, 'comment:read');
  await ctx.models.CommentRead.updateOne(
    { userId: new Types.ObjectId(ctx.user.id), proposalId: proposal._id },
    { $set: { readAt: ctx.now, callId: proposal.callId } },
    { upsert: true },
  );
  return { readAt: ctx.now.toISOString(), unread: 0 };
}

/**
 * The call's comments the person may see (this equals `comment:read` on each proposal: members
 * only, never a proposal they are conflicted with, agency threads of their own side only).
 */
async function visibleInCall(ctx: CommandContext, callId: string) {
  const { access, call } = await loadCallAccess(ctx.models, ctx.user, callId);
  authorize(access, 'call:read');
  const conflicted = await conflictedProposalIds(ctx.models, callId, ctx.user.id);
  return {
    callId: call._id,
    filter: {
      callId: call._id,
      proposalId: { $nin: [...conflicted].map((id) => new Types.ObjectId(id)) },
      ...visibleCommentsFilter(access),
    },
  };
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Comments of the call whose text contains `q` (case-insensitive), newest first, among those the
 * searcher may see. Deleted comments are not searched.
 * @throws NotFoundError
 */
export async function searchComments(ctx: CommandContext, callId: string, q: string): Promise<CommentDto[]> {
  const { filter } = await visibleInCall(ctx, callId);
  const found = await ctx.models.Comment.find({ ...filter, deletedAt: null, body: { $regex: escapeRegExp(q), $options: 'i' } })
    .sort({ createdAt: -1 })
    .limit(COMMENT_LIMITS.searchResults)
    .lean();
  return presentComments(ctx.models, found as StoredComment[]);
}

/**
 * Unread comments per proposal of the call for the person (proposals with none are left out).
 * @throws NotFoundError
 */
export async function unreadCounts(ctx: CommandContext, callId: string): Promise<CommentUnreadDto[]> {
  const { callId: callObjectId, filter } = await visibleInCall(ctx, callId);
  const [comments, markers] = await Promise.all([
    ctx.models.Comment.find({ ...filter, ...unreadFilter(ctx) }, { proposalId: 1, createdAt: 1 }).lean(),
    ctx.models.CommentRead.find({ userId: new Types.ObjectId(ctx.user.id), callId: callObjectId }, { proposalId: 1, readAt: 1 }).lean(),
  ]);
  const readAt = new Map(markers.map((m) => [String(m.proposalId), m.readAt]));
  const counts = new Map<string, number>();
  for (const comment of comments) {
    const proposalId = String(comment.proposalId);
    const since = readAt.get(proposalId);
    if (since && comment.createdAt <= since) continue;
    counts.set(proposalId, (counts.get(proposalId) ?? 0) + 1);
  }
  return [...counts].map(([proposalId, unread]) => ({ proposalId, unread }));
}
