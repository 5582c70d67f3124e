import { useEffect, useState } from 'react';

/** Where a form starts: its values, and the stored values and version they were made on. */
export interface DraftStart<D> {
  draft: D;
  baseDraft: D;
  baseVersion: number;
}

/** A form's edits of a stored, versioned thing (a review, a consensus, a decision, the call's settings). */
export interface ServerDraft<S, D> {
  draft: D;
  setDraft: (change: (draft: D) => D) => void;
  /** The stored values the edits were made on. */
  baseDraft: D;
  /** The version the edits were made on: what a save must send, so that a newer one is refused (409), never overwritten. */
  baseVersion: number;
  /** The form differs from the stored copy it was started from. */
  dirty: boolean;
  /** A newer stored copy arrived (someone else, another tab) while the edits were unsaved. */
  changedElsewhere: boolean;
  /** Shows `next` (what a save answered, or the newer copy on request), dropping the edits. */
  adopt: (next: S) => void;
  /** Drops the edits and shows the newest stored copy. */
  loadSaved: () => void;
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Keeps a form's unsaved edits and the stored copy apart. A newer copy (a refetch on focus, a live
 * invalidation, a refused save) replaces the form only when it has no unsaved edits; otherwise the
 * edits stay and `changedElsewhere` says so, and saves keep sending the version the edits were
 * made on (unless the newer copy left every edited field as it was). Without this, forms either
 * wiped what someone was typing when a copy arrived, or kept it and sent the newer version,
 * silently overwriting the other person's save.
 *
 * @param source the stored copy as fetched (its identity marks a new copy; null before the first save)
 * @param versionOf its optimistic-concurrency version (0 when there is none yet)
 * @param toDraft the form's values for a copy
 * @param options.same equality of two drafts as they would be saved (default: JSON equality)
 * @param options.initial edits to start from instead of `source`, with their base (restored from storage)
 */
export function useServerDraft<S, D>(
  source: S,
  versionOf: (source: S) => number,
  toDraft: (source: S) => D,
  options: { same?: (a: D, b: D) => boolean; initial?: DraftStart<D> | null } = {},
): ServerDraft<S, D> {
  const same = options.same ?? sameJson;
  const [start] = useState<DraftStart<D>>(() => {
    const fresh = toDraft(source);
    return options.initial ?? { draft: fresh, baseDraft: fresh, baseVersion: versionOf(source) };
  });
  /** The last stored copy the form took (a new `source` identity is a new copy). */
  const [seen, setSeen] = useState<S>(source);
  const [baseDraft, setBaseDraft] = useState<D>(start.baseDraft);
  const [baseVersion, setBaseVersion] = useState(start.baseVersion);
  const [draft, setDraftState] = useState<D>(start.draft);
  const dirty = !same(draft, baseDraft);
  const newer = versionOf(source) > baseVersion;
  const changedElsewhere = dirty && newer && !same(toDraft(source), baseDraft);

  const adopt = (next: S) => {
    const values = toDraft(next);
    setSeen(next);
    setBaseDraft(values);
    setBaseVersion(versionOf(next));
    setDraftState(values);
  };

  // A newer copy is taken as it is when nothing is unsaved (also once the edits are undone by hand).
  // With unsaved edits it becomes their base only when it left the edited fields as they were (a
  // call's phase changed, say): saving them then overwrites nothing. An older copy (a refetch sent
  // before the save that `adopt` just showed) is ignored: versions only grow.
  useEffect(() => {
    if (versionOf(source) < baseVersion) return;
    if (!dirty) {
      if (source !== seen) adopt(source);
    } else if (newer && same(toDraft(source), baseDraft)) {
      setSeen(source);
      setBaseVersion(versionOf(source));
    }
    // `adopt` and the callers' functions are new each render but read only the latest props.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [source, seen, dirty, baseVersion]);

  return { draft, setDraft: setDraftState, baseDraft, baseVersion, dirty, changedElsewhere, adopt, loadSaved: () => adopt(source) };
}
