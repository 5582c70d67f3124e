import { useCallback, useEffect, useState } from 'react';
import type { ReviewDto } from '../../api/dto';

/** What the review form edits. */
export interface Draft {
  scores: Record<string, number>;
  comments: Record<string, string>;
  overallComment: string;
  confidence: number;
}

/** The form's values for a stored review (or a fresh one). */
export function draftOf(review: ReviewDto | null): Draft {
  return {
    scores: { ...(review?.scores ?? {}) },
    comments: { ...(review?.comments ?? {}) },
    overallComment: review?.overallComment ?? '',
    confidence: review?.confidence ?? 3,
  };
}

/** Equal as the server would store them: blank comments are not sent, so they count as absent. */
function sameDraft(a: Draft, b: Draft): boolean {
  const comments = (draft: Draft) => Object.entries(draft.comments).filter(([, text]) => text.trim() !== '');
  const sorted = <T>(entries: [string, T][]) => JSON.stringify([...entries].sort(([x], [y]) => x.localeCompare(y)));
  return (
    sorted(Object.entries(a.scores)) === sorted(Object.entries(b.scores)) &&
    sorted(comments(a)) === sorted(comments(b)) &&
    a.overallComment.trim() === b.overallComment.trim() &&
    a.confidence === b.confidence
  );
}

/** Unsaved changes kept in this tab (sessionStorage): the version they were made on, and the values. */
interface StoredDraft {
  baseVersion: number;
  draft: Draft;
}

const STORAGE_PREFIX = 'godo.reviewDraft.';
const storageKey = (userId: string, proposalId: string) => `${STORAGE_PREFIX}${userId}.${proposalId}`;

function readStored(key: string): StoredDraft | null {
  try {
    const raw = sessionStorage.getItem(key);
    if (!raw) return null;
    const stored = JSON.parse(raw) as StoredDraft;
    return typeof stored.baseVersion === 'number' && stored.draft && typeof stored.draft === 'object' ? stored : null;
  } catch {
    return null;
  }
}

function writeStored(key: string, stored: StoredDraft | null): void {
  try {
    if (stored) sessionStorage.setItem(key, JSON.stringify(stored));
    else sessionStorage.removeItem(key);
  } catch {
    // Storage full or blocked: the changes stay on screen, only a reload would lose them.
  }
}

/** Forgets every review draft kept in this tab (at sign-out: the next person must not see them). */
export function forgetReviewDrafts(): void {
  try {
    for (const key of Object.keys(sessionStorage)) if (key.startsWith(STORAGE_PREFIX)) sessionStorage.removeItem(key);
  } catch {
    // Blocked storage holds nothing.
  }
}

/** The review form's state: the values being edited and what they were started from. */
export interface ReviewDraftState {
  draft: Draft;
  setDraft: (change: (draft: Draft) => Draft) => void;
  /** The version the changes were made on: sent with the save, so a newer one is never overwritten (409). */
  baseVersion: number;
  /** Values differ from the stored review. */
  dirty: boolean;
  /** Unsaved changes of an earlier visit in this tab were put back. */
  restored: boolean;
  /** The stored review changed (another tab or window) while these changes were unsaved. */
  changedElsewhere: boolean;
  /** After a save: the form shows what was stored. */
  saved(next: ReviewDto): void;
  /** Drops the changes and shows the stored review. */
  loadSaved(): void;
}

/**
 * Keeps a reviewer's unsaved changes from being lost or from silently overwriting a newer save:
 *
 * - A newer copy of the review from the server (a refetch when the window regains focus, or after
 *   a refused save) replaces the form only when it has no unsaved changes; otherwise the changes
 *   stay and `changedElsewhere` says so. The save keeps sending the version they were made on, so
 *   the server refuses it (409) instead of overwriting the other save.
 * - Unsaved changes are kept in this tab's sessionStorage, so leaving the page (a link, a reload)
 *   and coming back restores them (`restored`); the browser asks before the tab is closed.
 */
export function useReviewDraft(userId: string, proposalId: string, review: ReviewDto | null): ReviewDraftState {
  const key = storageKey(userId, proposalId);
  const [initial] = useState(() => {
    const stored = readStored(key);
    const version = review?.version ?? 0;
    if (!stored || sameDraft(stored.draft, draftOf(review))) return { base: review, baseVersion: version, draft: draftOf(review), restored: false };
    return { base: review, baseVersion: stored.baseVersion, draft: stored.draft, restored: true };
  });
  const [base, setBase] = useState<ReviewDto | null>(initial.base);
  const [baseVersion, setBaseVersion] = useState(initial.baseVersion);
  const [draft, setDraftState] = useState<Draft>(initial.draft);
  const [restored, setRestored] = useState(initial.restored);
  const dirty = !sameDraft(draft, draftOf(base));
  const changedElsewhere = dirty && (review?.version ?? 0) !== baseVersion;

  const adopt = useCallback((next: ReviewDto | null) => {
    setBase(next);
    setBaseVersion(next?.version ?? 0);
    setDraftState(draftOf(next));
    setRestored(false);
  }, []);

  // A newer stored copy is taken as it is when nothing here is unsaved (also once the changes are
  // undone by hand); with unsaved changes it waits (changedElsewhere) until the person decides.
  useEffect(() => {
    if (review !== base && !dirty) adopt(review);
  }, [review, base, dirty, adopt]);

  useEffect(() => writeStored(key, dirty ? { baseVersion, draft } : null), [key, dirty, baseVersion, draft]);

  useEffect(() => {
    if (!dirty) return;
    const ask = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', ask);
    return () => window.removeEventListener('beforeunload', ask);
  }, [dirty]);

  return {
    draft,
    setDraft: setDraftState,
    baseVersion,
    dirty,
    restored: restored && dirty,
    changedElsewhere,
    saved: adopt,
    loadSaved: () => adopt(review),
  };
}
