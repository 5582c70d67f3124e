import { Types } from 'mongoose';
import type { CommentCreateInput, CommentDto, CommentUpdateInput } from '../../../shared/schemas/comment.js';
import { AppError, ConflictError, ForbiddenError, NotFoundError } from '../../errors.js';
import { authorize } from '../../policies/authorize.js';
import { loadProposalAccess } from '../access/loadAccess.js';
import type { CommandContext } from '../calls/callCommands.js';
import { commentFeed } from './commentFeed.js';
import { assertMembers, loadVisibleComment, presentComments, type StoredComment } from './commentSupport.js';
import { commentVisibleTo } from './visibility.js';

async function publish(ctx: CommandContext, type: 'created' | 'updated', comment: StoredComment): Promise<CommentDto> {
  const [dto] = await presentComments(ctx.models, [comment]);
  commentFeed(ctx.models).publish({ type, comment: dto });
  return dto;
}

/**
 * Starts a thread (on the proposal, or anchored to report text) or replies to one. A reply takes
 * its thread's visibility; an agency thread belongs to the author's own side.
 * @throws NotFoundError (proposal or thread not visible), ForbiddenError, ValidationError (mentions),
 *   AppError comment_agency_missing (an agency thread from someone without an agency)
 */
export async function createComment(ctx: CommandContext, proposalId: string, input: CommentCreateInput): Promise<CommentDto> {
  const { access, proposal } = await loadProposalAccess(ctx.models, ctx.user, proposalId);
  authorize(access, 'comment:write');
  let visibility = input.visibility ?? 'panel';
  let agency: string | null = null;
  if (input.threadId) {
    const root = await ctx.models.Comment.findOne({ _id: new Types.ObjectId(input.threadId), proposalId: proposal._id, threadId: null }).lean();
    if (!root || !commentVisibleTo(access, root)) throw new NotFoundError('No such thread');
    visibility = root.visibility as typeof visibility;
    agency = root.agency ?? null;
  } else if (visibility === 'agency') {
    agency = access.membership?.agency ?? null;
    if (!agency) throw new AppError(400, 'comment_agency_missing', 'Only members of an agency side can start an agency-only thread');
  }
  const mentions = await assertMembers(ctx.models, String(proposal.callId), input.mentions);
  const created = await ctx.models.Comment.create({
    callId: proposal.callId,
    proposalId: proposal._id,
    threadId: input.threadId ? new Types.ObjectId(input.threadId) : null,
    anchor: input.threadId ? null : (input.anchor ?? null),
    authorId: new Types.ObjectId(ctx.user.id),
    body: input.body,
    mentions,
    visibility,
    agency,
    createdAt: ctx.now,
  });
  return publish(ctx, 'created', created.toObject() as StoredComment);
}

/** The comment, if the person may change it as its author. */
async function loadOwnComment(ctx: CommandContext, commentId: string) {
  const loaded = await loadVisibleComment(ctx, commentId);
  authorize(loaded.access, 'comment:write');
  if (String(loaded.comment.authorId) !== ctx.user.id) throw new ForbiddenError('Only its author can change a comment');
  return loaded.comment;
}

/**
 * Edits one's own comment; the previous text goes into its history. Optimistic: the write
 * matches the version the author saw.
 * @throws NotFoundError, ForbiddenError, ValidationError, ConflictError (stale version, or comment_deleted)
 */
export async function updateComment(ctx: CommandContext, commentId: string, input: CommentUpdateInput): Promise<CommentDto> {
  const comment = await loadOwnComment(ctx, commentId);
  if (comment.deletedAt) throw new ConflictError('This comment was deleted', 'comment_deleted');
  const mentions = input.mentions === undefined ? undefined : await assertMembers(ctx.models, String(comment.callId), input.mentions);
  const updated = await ctx.models.Comment.findOneAndUpdate(
    { _id: comment._id, version: input.version, deletedAt: null },
    {
      $push: { history: { body: comment.body ?? '', replacedAt: ctx.now } },
      $set: { body: input.body, editedAt: ctx.now, ...(mentions ? { mentions } : {}) },
      $inc: { version: 1 },
    },
    { returnDocument: 'after' },
  ).lean();
  if (!updated) throw new ConflictError();
  return publish(ctx, 'updated', updated as StoredComment);
}

/**
 * Deletes one's own comment softly: it stays in its thread as "deleted", its text kept in history.
 * Deleting it again changes nothing.
 * @throws NotFoundError, ForbiddenError
 */
export async function deleteComment(ctx: CommandContext, commentId: string): Promise<CommentDto> {
  const comment = await loadOwnComment(ctx, commentId);
  if (comment.deletedAt) return (await presentComments(ctx.models, [comment]))[0];
  const updated = await ctx.models.Comment.findOneAndUpdate(
    { _id: comment._id, deletedAt: null },
    { $push: { history: { body: comment.body ?? '', replacedAt: ctx.now } }, $set: { body: '', deletedAt: ctx.now }, $inc: { version: 1 } },
    { returnDocument: 'after' },
  ).lean();
  return publish(ctx, 'updated', (updated ?? (await ctx.models.Comment.findById(comment._id).lean())) as StoredComment);
}

/**
 * Resolves or reopens a thread (given any of its comments). Anyone who may comment on the
 * proposal and see the thread may; doing what is already done changes nothing.
 * @throws NotFoundError, ForbiddenError
 */
export async function setThreadResolved(ctx: CommandContext, commentId: string, resolved: boolean): Promise<CommentDto> {
  const { comment, access } = await loadVisibleComment(ctx, commentId);
  authorize(access, 'comment:write');
  const rootId = comment.threadId ? new Types.ObjectId(String(comment.threadId)) : comment._id;
  const updated = await ctx.models.Comment.findOneAndUpdate(
    { _id: rootId, resolvedAt: resolved ? null : { $ne: null } },
    {
      $set: resolved ? { resolvedAt: ctx.now, resolvedBy: new Types.ObjectId(ctx.user.id) } : { resolvedAt: null, resolvedBy: null },
      $inc: { version: 1 },
    },
    { returnDocument: 'after' },
  ).lean();
  if (updated) return publish(ctx, 'updated', updated as StoredComment);
  const root = await ctx.models.Comment.findById(rootId).lean();
  if (!root) throw new NotFoundError();
  return (await presentComments(ctx.models, [root as StoredComment]))[0];
}
