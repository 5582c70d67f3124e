import type { CommentDto, CommentVisibility } from '../../shared/schemas/comment.js';

/** A comment as stored (lean). */
export interface CommentDoc {
  _id: unknown;
  callId: unknown;
  proposalId: unknown;
  threadId?: unknown;
  anchor?: string | null;
  authorId: unknown;
  body?: string | null;
  mentions?: unknown[];
  visibility: string;
  agency?: string | null;
  resolvedAt?: Date | null;
  resolvedBy?: unknown;
  history?: { body: string; replacedAt: Date }[];
  createdAt: Date;
  editedAt?: Date | null;
  deletedAt?: Date | null;
  version?: number | null;
}

/**
 * A comment for the API and the live feed. A deleted comment keeps its place in the thread as
 * "deleted": no text and no history (both stay in the database).
 */
export function presentComment(comment: CommentDoc, names: ReadonlyMap<string, string>): CommentDto {
  const deleted = Boolean(comment.deletedAt);
  const authorId = String(comment.authorId);
  return {
    id: String(comment._id),
    callId: String(comment.callId),
    proposalId: String(comment.proposalId),
    threadId: comment.threadId ? String(comment.threadId) : null,
    anchor: comment.anchor ?? null,
    author: { userId: authorId, name: names.get(authorId) ?? '' },
    body: deleted ? null : (comment.body ?? ''),
    deleted,
    mentions: (comment.mentions ?? []).map(String),
    visibility: comment.visibility as CommentVisibility,
    agency: comment.agency ?? null,
    resolved: comment.resolvedAt ? { at: comment.resolvedAt.toISOString(), by: String(comment.resolvedBy) } : null,
    history: deleted ? [] : (comment.history ?? []).map((h) => ({ body: h.body, replacedAt: h.replacedAt.toISOString() })),
    createdAt: comment.createdAt.toISOString(),
    editedAt: comment.editedAt ? comment.editedAt.toISOString() : null,
    version: comment.version ?? 0,
  };
}
