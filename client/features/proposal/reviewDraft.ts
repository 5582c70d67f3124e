import { useEffect, useState } from 'react';
import type { ReviewDto } from '../../api/dto';
import { useServerDraft, type DraftStart, type ServerDraft } from '../../components/useServerDraft';

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

/** Unsaved changes kept in this tab (sessionStorage): the values, and the stored values and version they were made on. */
type StoredDraft = DraftStart<Draft>;

const STORAGE_PREFIX = 'godo.reviewDraft.';
const storageKey = (userId: string, proposalId: string) => `${STORAGE_PREFIX}${userId}.${proposalId}`;

const isDraft = (value: unknown): value is Draft => typeof value === 'object' && value !== null && 'scores' in value && 'comments' in value;

function readStored(key: string): StoredDraft | null {
  try {
    const raw = sessionStorage.getItem(key);
    if (!raw) return null;
    const stored = JSON.parse(raw) as StoredDraft;
    return typeof stored.baseVersion === 'number' && isDraft(stored.draft) && isDraft(stored.baseDraft) ? stored : null;
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
export interface ReviewDraftState extends Omit<ServerDraft<ReviewDto | null, Draft>, 'adopt'> {
  /** Unsaved changes of an earlier visit in this tab were put back. */
  restored: boolean;
  /** After a save: the form shows what was stored. */
  saved(next: ReviewDto): void;
}

/**
 * A reviewer's edits of their review (useServerDraft: never replaced by, nor saved over, a newer
 * copy), also kept in this tab's sessionStorage while unsaved, so leaving the page (a link, a
 * reload) and coming back restores them (`restored`); the browser asks before the tab is closed.
 */
export function useReviewDraft(userId: string, proposalId: string, review: ReviewDto | null): ReviewDraftState {
  const key = storageKey(userId, proposalId);
  const [stored] = useState(() => {
    const found = readStored(key);
    return found && !sameDraft(found.draft, draftOf(review)) ? found : null;
  });
  const state = useServerDraft(review, (r) => r?.version ?? 0, draftOf, { same: sameDraft, initial: stored });
  const { draft, dirty, baseDraft, baseVersion, adopt } = state;
  const [restored, setRestored] = useState(stored !== null);

  useEffect(() => writeStored(key, dirty ? { draft, baseDraft, baseVersion } : null), [key, dirty, draft, baseDraft, baseVersion]);

  useEffect(() => {
    if (!dirty) return;
    const ask = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', ask);
    return () => window.removeEventListener('beforeunload', ask);
  }, [dirty]);

  return {
    ...state,
    restored: restored && dirty,
    saved: (next) => {
      setRestored(false);
      adopt(next);
    },
    loadSaved: () => {
      setRestored(false);
      state.loadSaved();
    },
  };
}
