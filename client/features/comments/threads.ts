import type { CommentDto } from '../../api/comments';

/** A thread: its first comment and the replies, oldest first. */
export interface CommentThread {
  root: CommentDto;
  replies: CommentDto[];
}

/** Rebuilds threads from the server's flat list (oldest first); replies whose root is not visible are dropped. */
export function groupThreads(comments: readonly CommentDto[]): CommentThread[] {
  const threads = new Map<string, CommentThread>();
  for (const comment of comments) if (comment.threadId === null) threads.set(comment.id, { root: comment, replies: [] });
  for (const comment of comments) if (comment.threadId !== null) threads.get(comment.threadId)?.replies.push(comment);
  return [...threads.values()];
}

/** Someone who can be mentioned. */
export interface Mentionable {
  userId: string;
  name: string;
  agency: string | null;
}

/** The people picked while writing whose `@Name` is still in the text (deleting the text un-mentions them). */
export function mentionsIn(body: string, picked: readonly Mentionable[]): string[] {
  return [...new Set(picked.filter((person) => body.includes(`@${person.name}`)).map((person) => person.userId))];
}

/** The `@query` being typed just before the caret, if any (start index and text after the @). */
export function mentionQueryAt(body: string, caret: number): { start: number; query: string } | null {
  const before = body.slice(0, caret);
  const match = /(^|\s)@([^\s@]{0,40})$/u.exec(before);
  if (!match) return null;
  return { start: caret - match[2].length - 1, query: match[2] };
}

/** Splits a comment's text into plain runs and `@Name` mentions of known people, for highlighting. */
export function splitMentions(body: string, people: readonly Mentionable[]): { text: string; mention?: boolean }[] {
  const names = people.map((person) => person.name).filter(Boolean).sort((a, b) => b.length - a.length);
  if (names.length === 0) return [{ text: body }];
  const pattern = new RegExp(`@(?:${names.map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`, 'gu');
  const parts: { text: string; mention?: boolean }[] = [];
  let last = 0;
  for (const match of body.matchAll(pattern)) {
    if (match.index > last) parts.push({ text: body.slice(last, match.index) });
    parts.push({ text: match[0], mention: true });
    last = match.index + match[0].length;
  }
  if (last < body.length) parts.push({ text: body.slice(last) });
  return parts;
}
