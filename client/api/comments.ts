import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { CommentCreateInput, CommentDto, CommentUnreadDto, CommentUpdateInput } from '../../shared/schemas/comment';
import { api, query } from './http';

export type { CommentDto, CommentUnreadDto, CommentCreateInput, CommentUpdateInput } from '../../shared/schemas/comment';

/** One proposal's comments as the server lists them (oldest first) with the person's unread count. */
export interface CommentListDto {
  comments: CommentDto[];
  unread: number;
  /** When the person last marked the proposal read (ISO), or null. */
  readAt: string | null;
}

const proposalComments = (proposalId: string) => `/proposals/${encodeURIComponent(proposalId)}/comments`;
const comment = (commentId: string) => `/comments/${encodeURIComponent(commentId)}`;
const callComments = (callId: string) => `/calls/${encodeURIComponent(callId)}/comments`;

/**
 * Comment query keys, kept beside the wrappers (the shape follows client/api/queryKeys.ts):
 * everything of comments starts with `'comments'`, so one invalidation can reach all of it.
 */
export const commentKeys = {
  all: ['comments'] as const,
  proposal: (proposalId: string) => ['comments', 'proposal', proposalId] as const,
  unread: (callId: string) => ['comments', 'unread', callId] as const,
  search: (callId: string, q: string) => ['comments', 'search', callId, q] as const,
};

/** Every comment of a proposal the person may see. @throws ApiRequestError `not_found` (conflicted, not a member). */
export const fetchComments = (proposalId: string) => api<CommentListDto>('GET', proposalComments(proposalId));

/**
 * Starts a thread (optionally anchored: `anchor` is an opaque base64 pair of Yjs relative
 * positions; `visibility: 'agency'` keeps it to the author's side) or, with `threadId`, replies.
 * @throws ApiRequestError `validation_failed`, `forbidden`, `comment_agency_missing`.
 */
export const createComment = (proposalId: string, input: CommentCreateInput) =>
  api<{ comment: CommentDto }>('POST', proposalComments(proposalId), input);

/** Replies to a thread (given its first comment's id); the reply takes the thread's visibility. */
export const replyToComment = (proposalId: string, threadId: string, body: string, mentions?: string[]) =>
  createComment(proposalId, { body, threadId, ...(mentions?.length ? { mentions } : {}) });

/** Edits one's own comment. @throws ApiRequestError `version_conflict` (stale version), `comment_deleted`. */
export const editComment = (commentId: string, input: CommentUpdateInput) =>
  api<{ comment: CommentDto }>('PATCH', comment(commentId), input);

/** Deletes one's own comment (softly: it keeps its place in the thread). */
export const deleteComment = (commentId: string) => api<{ comment: CommentDto }>('DELETE', comment(commentId));

/** Resolves the thread of any of its comments; answers with the thread's first comment. */
export const resolveThread = (commentId: string) => api<{ comment: CommentDto }>('POST', `${comment(commentId)}/resolve`);
export const reopenThread = (commentId: string) => api<{ comment: CommentDto }>('POST', `${comment(commentId)}/reopen`);

/** Marks everything the person can see on the proposal read, as of now. */
export const markCommentsRead = (proposalId: string) =>
  api<{ readAt: string; unread: 0 }>('POST', `${proposalComments(proposalId)}/read`);

/** Unread comments per proposal of a call (proposals without any are left out). */
export const fetchUnreadCounts = (callId: string) => api<{ unread: CommentUnreadDto[] }>('GET', `${callComments(callId)}/unread`);

/** Comments of the call containing `q`, newest first. */
export const searchComments = (callId: string, q: string) =>
  api<{ comments: CommentDto[] }>('GET', `${callComments(callId)}/search${query({ q })}`);

/** A proposal's comments (live updates are merged in by `applyCommentEvent`). */
export function useComments(proposalId: string) {
  return useQuery({ queryKey: commentKeys.proposal(proposalId), queryFn: () => fetchComments(proposalId) });
}

/** Unread counts of a call as a map proposalId → count. */
export function useUnreadCounts(callId: string | undefined) {
  return useQuery({
    queryKey: commentKeys.unread(callId ?? ''),
    queryFn: async () => new Map((await fetchUnreadCounts(callId!)).unread.map((u) => [u.proposalId, u.unread])),
    enabled: !!callId,
  });
}

/**
 * Merges a comment (from a mutation's answer or a `comment:created`/`comment:updated` event) into
 * the cached list of its proposal, replacing an older version of it. Returns whether it was new.
 */
export function applyCommentEvent(client: QueryClient, dto: CommentDto): boolean {
  let added = false;
  client.setQueryData<CommentListDto>(commentKeys.proposal(dto.proposalId), (list) => {
    if (!list) return list;
    const index = list.comments.findIndex((c) => c.id === dto.id);
    if (index === -1) {
      added = true;
      return { ...list, comments: [...list.comments, dto] };
    }
    if (list.comments[index].version > dto.version) return list;
    const comments = list.comments.slice();
    comments[index] = dto;
    return { ...list, comments };
  });
  return added;
}

/** Posting (thread or reply); the answer is merged into the cache at once, before the live echo. */
export function useCreateComment(proposalId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: CommentCreateInput) => createComment(proposalId, input),
    onSuccess: ({ comment: dto }) => void applyCommentEvent(client, dto),
  });
}

/** Edit, delete, resolve and reopen, each merged into the cache on success. */
export function useCommentActions() {
  const client = useQueryClient();
  const merge = ({ comment: dto }: { comment: CommentDto }) => void applyCommentEvent(client, dto);
  return {
    edit: useMutation({ mutationFn: (v: { id: string } & CommentUpdateInput) => editComment(v.id, { body: v.body, mentions: v.mentions, version: v.version }), onSuccess: merge }),
    remove: useMutation({ mutationFn: (id: string) => deleteComment(id), onSuccess: merge }),
    resolve: useMutation({ mutationFn: (id: string) => resolveThread(id), onSuccess: merge }),
    reopen: useMutation({ mutationFn: (id: string) => reopenThread(id), onSuccess: merge }),
  };
}

/** Marks a proposal read and clears its unread count everywhere it is shown. */
export function useMarkCommentsRead(callId: string | undefined) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (proposalId: string) => markCommentsRead(proposalId),
    onSuccess: (_answer, proposalId) => {
      client.setQueryData<CommentListDto>(commentKeys.proposal(proposalId), (list) => (list ? { ...list, unread: 0 } : list));
      if (callId) {
        client.setQueryData<Map<string, number>>(commentKeys.unread(callId), (counts) => {
          if (!counts) return counts;
          const next = new Map(counts);
          next.delete(proposalId);
          return next;
        });
      }
    },
  });
}
