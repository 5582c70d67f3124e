import type { Document } from 'bson';

/**
 * The contract between the embedded server's command layer (wire/, commands/) and its
 * storage engine (storage/). The command layer parses, matches, projects and updates
 * documents; the storage engine keeps them, enforces unique indexes atomically and makes
 * changes durable. All mutations are synchronous in memory (so a command sees its own
 * writes and no other command interleaves inside one call) and are appended to the
 * write-ahead log; `flush()` resolves once they are fsynced (group commit).
 */

/** A document as stored: its exact BSON bytes and a promoted plain-JS view of them. */
export interface StoredDocument {
  /** The document's BSON bytes, `_id` first; returned to clients as-is. */
  readonly raw: Buffer;
  /** `BSON.deserialize(raw)` with default (promoted) values; used for matching. Never mutate. */
  readonly plain: Document;
}

export interface IndexSpec {
  /** Index name, e.g. `email_1` or `_id_`. */
  name: string;
  /** Key pattern in field order, e.g. `{ callId: 1, email: 1 }`. Values 1, -1 or a string ("text", "2dsphere", "hashed"). */
  key: Document;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Document;
  expireAfterSeconds?: number;
  /** Any other option given at creation, kept and reported by listIndexes. */
  [option: string]: unknown;
}

export interface CollectionOptions {
  validator?: Document;
  validationLevel?: 'off' | 'strict' | 'moderate';
  validationAction?: 'error' | 'warn';
  capped?: boolean;
  size?: number;
  max?: number;
  [option: string]: unknown;
}

export interface CollectionStore {
  readonly db: string;
  readonly name: string;
  readonly options: CollectionOptions;
  /** Number of documents. */
  count(): number;
  /** Every document in natural (insertion) order. Safe to iterate while mutating (iterates a snapshot). */
  all(): Iterable<StoredDocument>;
  /** Equality lookup on `_id` (BSON comparison rules: 1, 1.0 and NumberLong(1) are the same key). */
  getById(id: unknown): StoredDocument | undefined;
  /**
   * Equality lookup through an index: `values` are the values for the first `values.length`
   * fields of the index key pattern. Returns documents in natural order. Throws IndexNotFound.
   * Callers still apply the full filter to the result (partial/sparse/array semantics).
   */
  findByIndex(indexName: string, values: unknown[]): StoredDocument[];
  /** The indexes, `_id_` first. */
  indexes(): IndexSpec[];
  /** Inserts; throws CommandError 11000 (with keyPattern/keyValue) and changes nothing if a unique index would be violated. */
  insert(doc: StoredDocument): void;
  /** Replaces `oldDoc` (same `_id`) by `newDoc`, atomically with unique checks (11000 leaves `oldDoc` in place). */
  replace(oldDoc: StoredDocument, newDoc: StoredDocument): void;
  /** Removes the document. */
  remove(doc: StoredDocument): void;
  /**
   * Creates an index. Returns false when an identical one already exists. Throws
   * IndexOptionsConflict/IndexKeySpecsConflict for a same-name or same-key index with other
   * options, and DuplicateKey when existing documents violate a new unique index.
   */
  createIndex(spec: IndexSpec): boolean;
  /** Drops by name; throws IndexNotFound. `_id_` cannot be dropped (InvalidOptions). */
  dropIndex(name: string): void;
  /** Replaces collection options (collMod). */
  setOptions(options: CollectionOptions): void;
}

export interface DatabaseInfo {
  name: string;
  sizeOnDisk: number;
  empty: boolean;
}

export interface StorageEngine {
  listDatabases(): DatabaseInfo[];
  /** Collections of a database in creation order (empty if the database does not exist). */
  listCollections(db: string): CollectionStore[];
  collection(db: string, name: string): CollectionStore | undefined;
  /** Creates a collection (and its `_id_` index); throws NamespaceExists if present. */
  createCollection(db: string, name: string, options?: CollectionOptions): CollectionStore;
  /** Returns the collection, creating it implicitly (as inserts and createIndexes do). */
  ensureCollection(db: string, name: string): CollectionStore;
  /** Returns false if it did not exist. */
  dropCollection(db: string, name: string): boolean;
  dropDatabase(db: string): void;
  /** Throws NamespaceNotFound / NamespaceExists (unless dropTarget). */
  renameCollection(fromDb: string, from: string, toDb: string, to: string, dropTarget: boolean): void;
  /** Resolves once every change made before this call is on disk (fsync). One fsync serves many callers. */
  flush(): Promise<void>;
  /** Writes a snapshot and truncates the log (temp file, fsync, rename). */
  compact(): Promise<void>;
  /** Flushes and closes files. */
  close(): Promise<void>;
  stats(): { logBytes: number; snapshotBytes: number; documents: number; compactions: number };
}

export interface StorageOptions {
  /** Data directory; null keeps everything in memory (tests). */
  dir: string | null;
  /** Compact when the log exceeds this many bytes (default 64 MiB). */
  compactLogBytes?: number;
  /** Called with a short message on recovery events (torn tail truncated, snapshot loaded). */
  onEvent?: (event: { kind: string; message: string; [k: string]: unknown }) => void;
}
