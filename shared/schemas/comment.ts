import { z } from 'zod';
import { LIMITS } from '../limits';
import { IdSchema, VersionSchema, text } from './common';

/** Bounds of comment threads. */
export const COMMENT_LIMITS = {
  body: LIMITS.comment,
  mentions: 20,
  /** An encoded pair of Yjs relative positions is a few dozen bytes; this leaves ample room. */
  anchor: 1_024,
  searchQuery: LIMITS.shortText,
  searchResults: 50,
} as const;

/** Who sees a thread: the whole panel, or the author's own agency side only. */
export const COMMENT_VISIBILITIES = ['panel', 'agency'] as const;
export type CommentVisibility = (typeof COMMENT_VISIBILITIES)[number];
export const CommentVisibilitySchema = z.enum(COMMENT_VISIBILITIES);

/** Error codes of the comment routes besides the common ones (validation_failed, forbidden, ...). */
export const COMMENT_ERROR_CODES = ['comment_deleted', 'comment_agency_missing'] as const;
export type CommentErrorCode = (typeof COMMENT_ERROR_CODES)[number];

/**
 * Where a thread is anchored in the consensus report: a pair of Yjs relative positions encoded
 * by the client, as standard base64. The server stores it and never decodes it.
 */
export const CommentAnchorSchema = z
  .string()
  .min(4)
  .max(COMMENT_LIMITS.anchor)
  .regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, 'must be base64');

const MentionsSchema = z
  .array(IdSchema)
  .max(COMMENT_LIMITS.mentions)
  .refine((ids) => new Set(ids).size === ids.length, { message: 'mentions a person twice' });

/**
 * A new comment. Without `threadId` it starts a thread (on the proposal, or anchored to report
 * text); with one it replies, and the reply takes the thread's visibility.
 */
export const CommentCreateSchema = z
  .strictObject({
    body: text(COMMENT_LIMITS.body),
    threadId: IdSchema.optional(),
    anchor: CommentAnchorSchema.optional(),
    visibility: CommentVisibilitySchema.optional(),
    mentions: MentionsSchema.optional(),
  })
  .refine((c) => !(c.threadId && (c.anchor !== undefined || c.visibility !== undefined)), {
    message: 'a reply takes its thread’s anchor and visibility',
    path: ['threadId'],
  });
export type CommentCreateInput = z.infer<typeof CommentCreateSchema>;

/** An edit of one's own comment; the previous text is kept in its history. */
export const CommentUpdateSchema = z.strictObject({
  body: text(COMMENT_LIMITS.body),
  mentions: MentionsSchema.optional(),
  version: VersionSchema,
});
export type CommentUpdateInput = z.infer<typeof CommentUpdateSchema>;

/** `GET /api/calls/:callId/comments/search?q=`. */
export const CommentSearchQuerySchema = z.strictObject({ q: text(COMMENT_LIMITS.searchQuery) });
export type CommentSearchQuery = z.infer<typeof CommentSearchQuerySchema>;

/** A comment as the API and the live feed send it. A deleted comment keeps its place, without text. */
export interface CommentDto {
  id: string;
  callId: string;
  proposalId: string;
  /** The thread's first comment; null for that first comment itself. */
  threadId: string | null;
  anchor: string | null;
  author: { userId: string; name: string };
  body: string | null;
  deleted: boolean;
  mentions: string[];
  visibility: CommentVisibility;
  agency: string | null;
  /** Set on a thread's first comment when the thread is resolved. */
  resolved: { at: string; by: string } | null;
  history: { body: string; replacedAt: string }[];
  createdAt: string;
  editedAt: string | null;
  version: number;
}

/** Unread comments per proposal for the signed-in person. */
export interface CommentUnreadDto {
  proposalId: string;
  unread: number;
}
