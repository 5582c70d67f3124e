/**
 * How the collaboration server stores documents. Injected, so the room logic is tested with a fake of
 * this interface and the Mongoose implementation (`mongoPersistence.ts`) is tested against the database.
 *
 * Contract: for one document name the server never runs two of these calls at once (its save queue
 * serialises them), so `compact` may treat "every update stored so far" as covered by `state`.
 */
export interface CollabPersistence {
  /**
   * Everything stored for a document: the last compacted state (null if never compacted) and the
   * updates stored after it. Applying the snapshot, then the updates in any order, rebuilds the document.
   */
  load(docName: string): Promise<StoredDocument>;
  /**
   * Appends updates (Yjs v1 encoding) after everything stored so far. Resolves with how many stored
   * updates that made, as `load` will return them (an implementation may merge a batch into one).
   */
  storeUpdates(docName: string, updates: readonly Uint8Array[]): Promise<number>;
  /**
   * Replaces the snapshot with `state` (an encoded state containing every stored update) and drops
   * the stored updates it covers. Must be crash-safe: write the snapshot before deleting updates.
   */
  compact(docName: string, state: Uint8Array): Promise<void>;
}

/** What `load` returns. */
export interface StoredDocument {
  snapshot: Uint8Array | null;
  updates: Uint8Array[];
}
