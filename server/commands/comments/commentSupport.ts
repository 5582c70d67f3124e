import { Types } from 'mongoose';
import type { CommentDto } from '../../../shared/schemas/comment.js';
import { NotFoundError, ValidationError } from '../../errors.js';
import type { Models } from '../../models/index.js';
import type { ProposalAccess } from '../../policies/access.js';
import { authorize } from '../../policies/authorize.js';
import { presentComment, type CommentDoc } from '../../presenters/comment.js';
import { loadProposalAccess } from '../access/loadAccess.js';
import { parseId } from '../access/ids.js';
import type { CommandContext } from '../calls/callCommands.js';
import { commentVisibleTo } from './visibility.js';

/** A stored comment with the fields the commands read. */
export type StoredComment = CommentDoc & { _id: Types.ObjectId; proposalId: Types.ObjectId; callId: Types.ObjectId; authorId: Types.ObjectId };

/**
 * A comment the person may see, with their access to its proposal. Comments of proposals they are
 * conflicted with, and agency threads of another side, are answered as not found.
 * @throws NotFoundError
 */
export async function loadVisibleComment(ctx: CommandContext, commentId: string): Promise<{ comment: StoredComment; access: ProposalAccess }> {
  const comment = (await ctx.models.Comment.findById(parseId(commentId)).lean()) as StoredComment | null;
  if (!comment) throw new NotFoundError();
  const { access } = await loadProposalAccess(ctx.models, ctx.user, String(comment.proposalId));
  authorize(access, 'comment:read');
  if (!commentVisibleTo(access, comment)) throw new NotFoundError();
  return { comment, access };
}

/** Presents comments with their authors' names (one query). */
export async function presentComments(models: Models, comments: CommentDoc[]): Promise<CommentDto[]> {
  const ids = [...new Set(comments.map((c) => String(c.authorId)))].map((id) => new Types.ObjectId(id));
  const users = ids.length ? await models.User.find({ _id: { $in: ids } }, { name: 1 }).lean() : [];
  const names = new Map(users.map((u) => [String(u._id), u.name]));
  return comments.map((c) => presentComment(c, names));
}

/**
 * Checks that everyone mentioned is a member of the call.
 * @throws ValidationError naming the field
 */
export async function assertMembers(models: Models, callId: string, userIds: readonly string[] | undefined): Promise<Types.ObjectId[]> {
  if (!userIds?.length) return [];
  const ids = userIds.map((id) => new Types.ObjectId(id));
  const members = await models.Membership.countDocuments({ callId: new Types.ObjectId(callId), userId: { $in: ids } });
  if (members !== ids.length) {
    throw new ValidationError('Only members of the call can be mentioned', { mentions: 'mentions someone who is not a member of this call' });
  }
  return ids;
}
