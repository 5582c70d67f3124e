import { BSON } from 'bson';
import type { Document } from 'bson';
import { commandError } from '../errors';
import { compileIndex, encodeKey, formatKeyValue, indexEntries, lookupTokens } from './indexKey';
import type { CompiledIndex, IndexEntry } from './indexKey';
import type { CollectionOptions, CollectionStore, IndexSpec, StoredDocument } from './types';

/** A change a collection asks the engine to log; `put` upserts by `_id`, so replaying it is idempotent. */
export type StoreChange =
  | { op: 'put'; doc: StoredDocument }
  | { op: 'del'; id: unknown }
  | { op: 'createIndex'; spec: IndexSpec }
  | { op: 'dropIndex'; name: string }
  | { op: 'setOptions'; options: CollectionOptions };

/**
 * Receives each change after it has been validated and before it is applied, so a journal that
 * throws (e.g. the log has failed) leaves the collection unchanged.
 */
export type ChangeJournal = (collection: InMemoryCollection, change: StoreChange) => void;

/** The spec every collection's `_id_` index has. */
export const ID_INDEX_SPEC: IndexSpec = Object.freeze({ v: 2, key: Object.freeze({ _id: 1 }), name: '_id_' });

// A record keeps its sequence number across replacements: natural order is insertion order,
// as with WiredTiger record ids, and index lookups sort by it.
interface DocRecord {
  readonly seq: number;
  doc: StoredDocument;
}

interface IndexState {
  readonly compiled: CompiledIndex;
  /** `levels[i]` maps the key of the first `i + 1` fields to the records having it, so prefix lookups never scan. */
  readonly levels: Map<string, Set<DocRecord>>[];
}

/**
 * The in-memory {@link CollectionStore}: documents by canonical `_id` key in insertion order,
 * and per secondary index a hash map per key prefix. Unique indexes are checked before anything
 * changes, so a failed write leaves no trace.
 */
export class InMemoryCollection implements CollectionStore {
  private readonly records = new Map<string, DocRecord>();
  private readonly secondary = new Map<string, IndexState>();
  private nextSeq = 0;
  private dropped = false;
  private dataBytes = 0;

  constructor(
    private currentDb: string,
    private currentName: string,
    private currentOptions: CollectionOptions,
    private readonly journal: ChangeJournal | null = null,
  ) {}

  get db(): string {
    return this.currentDb;
  }
  get name(): string {
    return this.currentName;
  }
  get options(): CollectionOptions {
    return this.currentOptions;
  }

  count(): number {
    return this.records.size;
  }

  /** Total BSON bytes of the documents (reported as the database size). */
  bytes(): number {
    return this.dataBytes;
  }

  all(): StoredDocument[] {
    return Array.from(this.records.values(), (r) => r.doc);
  }

  getById(id: unknown): StoredDocument | undefined {
    return this.records.get(encodeKey(id))?.doc;
  }

  findByIndex(indexName: string, values: unknown[]): StoredDocument[] {
    if (indexName === ID_INDEX_SPEC.name) {
      if (values.length === 0) return this.all();
      if (values.length > 1) throw commandError('BadValue', 'too many values for index _id_');
      const doc = this.getById(values[0]);
      return doc ? [doc] : [];
    }
    const state = this.indexState(indexName);
    const { fields } = state.compiled;
    if (values.length > fields.length) throw commandError('BadValue', `too many values for index ${indexName}`);
    const found = new Set<DocRecord>();
    if (values.length === 0) {
      for (const set of state.levels[fields.length - 1].values()) for (const r of set) found.add(r);
    } else {
      let keys = [''];
      for (const value of values) keys = keys.flatMap((k) => lookupTokens(value).map((t) => k + t));
      const level = state.levels[values.length - 1];
      for (const key of keys) for (const r of level.get(key) ?? []) found.add(r);
    }
    return [...found].sort((a, b) => a.seq - b.seq).map((r) => r.doc);
  }

  indexes(): IndexSpec[] {
    return [ID_INDEX_SPEC, ...Array.from(this.secondary.values(), (s) => s.compiled.spec)];
  }

  insert(doc: StoredDocument): void {
    this.assertLive();
    const idKey = idKeyOf(doc);
    const entries = this.entriesOf(doc.plain);
    if (this.records.has(idKey)) throw this.duplicateKey(ID_INDEX_SPEC, ['_id'], [doc.plain._id]);
    this.checkUnique(entries, null);
    this.journal?.(this, { op: 'put', doc });
    this.place(idKey, null, doc, entries);
  }

  replace(oldDoc: StoredDocument, newDoc: StoredDocument): void {
    this.assertLive();
    const idKey = idKeyOf(oldDoc);
    const record = this.records.get(idKey);
    if (!record) throw commandError('InternalError', 'replace: the document is not in the collection');
    if (idKeyOf(newDoc) !== idKey) throw commandError('InternalError', 'replace: the new document has another _id');
    const entries = this.entriesOf(newDoc.plain);
    this.checkUnique(entries, record);
    this.journal?.(this, { op: 'put', doc: newDoc });
    this.place(idKey, record, newDoc, entries);
  }

  remove(doc: StoredDocument): void {
    this.assertLive();
    const idKey = idKeyOf(doc);
    if (!this.records.has(idKey)) return;
    this.journal?.(this, { op: 'del', id: doc.plain._id });
    this.unplace(idKey);
  }

  createIndex(spec: IndexSpec): boolean {
    this.assertLive();
    if (!this.checkNewIndex(spec)) return false;
    const state = this.buildIndex({ ...spec }, true);
    this.journal?.(this, { op: 'createIndex', spec: state.compiled.spec });
    this.secondary.set(spec.name, state);
    return true;
  }

  dropIndex(name: string): void {
    this.assertLive();
    if (name === ID_INDEX_SPEC.name) throw commandError('InvalidOptions', 'cannot drop _id index');
    this.indexState(name);
    this.journal?.(this, { op: 'dropIndex', name });
    this.secondary.delete(name);
  }

  setOptions(options: CollectionOptions): void {
    this.assertLive();
    this.journal?.(this, { op: 'setOptions', options });
    this.currentOptions = { ...options };
  }

  /** Recovery: upserts by `_id` without unique checks or logging (the log already held it). */
  restorePut(doc: StoredDocument): void {
    const idKey = idKeyOf(doc);
    this.place(idKey, this.records.get(idKey) ?? null, doc, this.entriesOf(doc.plain));
  }

  /** Recovery: deletes by `_id` if present, without logging. */
  restoreDelete(id: unknown): void {
    if (this.records.has(encodeKey(id))) this.unplace(encodeKey(id));
  }

  /** Recovery: creates an index without unique checks or logging; an existing name is replaced. */
  restoreIndex(spec: IndexSpec): void {
    if (spec.name === ID_INDEX_SPEC.name) return;
    this.secondary.set(spec.name, this.buildIndex({ ...spec }, false));
  }

  /** Engine use: renames in place (renameCollection keeps documents and indexes). */
  relocate(db: string, name: string): void {
    this.currentDb = db;
    this.currentName = name;
  }

  /** Engine use: after a drop, writes through stale references must fail instead of being logged. */
  detach(): void {
    this.dropped = true;
  }

  private assertLive(): void {
    if (this.dropped) throw commandError('NamespaceNotFound', `collection ${this.currentDb}.${this.currentName} was dropped`);
  }

  private indexState(name: string): IndexState {
    const state = this.secondary.get(name);
    if (!state) throw commandError('IndexNotFound', `index not found with name [${name}]`);
    return state;
  }

  private entriesOf(plain: Document): Map<IndexState, IndexEntry[]> {
    const out = new Map<IndexState, IndexEntry[]>();
    for (const state of this.secondary.values()) out.set(state, indexEntries(plain, state.compiled));
    return out;
  }

  private checkUnique(entries: Map<IndexState, IndexEntry[]>, self: DocRecord | null): void {
    for (const [state, list] of entries) {
      if (state.compiled.spec.unique !== true) continue;
      const full = state.levels[state.levels.length - 1];
      for (const entry of list) {
        const holders = full.get(entry.prefixes[entry.prefixes.length - 1]);
        if (holders && (holders.size > 1 || !holders.has(self as DocRecord))) {
          throw this.duplicateKey(state.compiled.spec, state.compiled.fields, entry.values);
        }
      }
    }
  }

  private place(idKey: string, record: DocRecord | null, doc: StoredDocument, entries: Map<IndexState, IndexEntry[]>): void {
    if (record) {
      this.removeEntries(record);
      this.dataBytes -= record.doc.raw.length;
      record.doc = doc;
    } else {
      record = { seq: this.nextSeq++, doc };
      this.records.set(idKey, record);
    }
    this.dataBytes += doc.raw.length;
    for (const [state, list] of entries) addEntries(state, record, list);
  }

  private unplace(idKey: string): void {
    const record = this.records.get(idKey) as DocRecord;
    this.removeEntries(record);
    this.dataBytes -= record.doc.raw.length;
    this.records.delete(idKey);
  }

  // Recomputing the old document's entries is deterministic: they were computed successfully
  // when it was placed, under the same index definitions.
  private removeEntries(record: DocRecord): void {
    for (const [state, list] of this.entriesOf(record.doc.plain)) {
      for (const entry of list) {
        entry.prefixes.forEach((key, i) => {
          const set = state.levels[i].get(key);
          set?.delete(record);
          if (set?.size === 0) state.levels[i].delete(key);
        });
      }
    }
  }

  /** False when an identical index exists; throws when one conflicts by name or key. */
  private checkNewIndex(spec: IndexSpec): boolean {
    compileIndex(spec);
    const key = encodeKey(spec.key);
    const options = optionsKey(spec);
    for (const existing of this.indexes()) {
      const sameName = existing.name === spec.name;
      const sameKey = encodeKey(existing.key) === key;
      const sameOptions = optionsKey(existing) === options;
      if (sameName && sameKey && sameOptions) return false;
      if (sameName && sameKey) {
        throw commandError('IndexOptionsConflict', `Index with name: ${spec.name} already exists with different options`);
      }
      if (sameName) {
        throw commandError(
          'IndexKeySpecsConflict',
          `An existing index has the same name as the requested index. When index names are not specified, they are auto generated and can cause conflicts. Please refer to our documentation. Requested index: ${formatSpec(spec)}, existing index: ${formatSpec(existing)}`,
        );
      }
      // MongoDB allows one key pattern several times only with distinct partial filters.
      const samePartial = encodeKey(existing.partialFilterExpression) === encodeKey(spec.partialFilterExpression);
      if (sameKey && samePartial) {
        throw commandError('IndexOptionsConflict', `Index already exists with a different name: ${existing.name}`);
      }
    }
    return true;
  }

  private buildIndex(spec: IndexSpec, enforceUnique: boolean): IndexState {
    const compiled = compileIndex(spec);
    const state: IndexState = { compiled, levels: compiled.fields.map(() => new Map()) };
    const full = state.levels[state.levels.length - 1];
    for (const record of this.records.values()) {
      const list = indexEntries(record.doc.plain, compiled);
      if (enforceUnique && spec.unique === true) {
        for (const entry of list) {
          const holders = full.get(entry.prefixes[entry.prefixes.length - 1]);
          if (holders && !holders.has(record)) throw this.duplicateKey(spec, compiled.fields, entry.values);
        }
      }
      addEntries(state, record, list);
    }
    return state;
  }

  private duplicateKey(spec: IndexSpec, fields: string[], values: unknown[]) {
    return commandError(
      'DuplicateKey',
      `E11000 duplicate key error collection: ${this.currentDb}.${this.currentName} index: ${spec.name} dup key: ${formatKeyValue(fields, values)}`,
      { keyPattern: { ...spec.key }, keyValue: Object.fromEntries(fields.map((f, i) => [f, values[i] ?? null])) },
    );
  }
}

function addEntries(state: IndexState, record: DocRecord, list: IndexEntry[]): void {
  for (const entry of list) {
    entry.prefixes.forEach((key, i) => {
      const level = state.levels[i];
      let set = level.get(key);
      if (!set) level.set(key, (set = new Set()));
      set.add(record);
    });
  }
}

/** Wraps raw BSON bytes as a {@link StoredDocument} (the plain view is promoted, as the contract says). */
export function toStoredDocument(raw: Buffer): StoredDocument {
  return { raw, plain: BSON.deserialize(raw) };
}

function idKeyOf(doc: StoredDocument): string {
  // The command layer always assigns _id before storage sees a document.
  if (doc.plain._id === undefined) throw commandError('InternalError', 'storage received a document without _id');
  return encodeKey(doc.plain._id);
}

const NOT_OPTIONS = new Set(['name', 'key', 'v', 'ns', 'background']);

// Options compared when deciding whether two index specs are the same index; `unique: false`
// and an absent `unique` mean the same thing.
function optionsKey(spec: IndexSpec): string {
  const options: Document = {};
  for (const name of Object.keys(spec).sort()) {
    if (NOT_OPTIONS.has(name) || spec[name] === undefined || spec[name] === false) continue;
    options[name] = spec[name];
  }
  return encodeKey(options);
}

function formatSpec(spec: IndexSpec): string {
  return `{ v: ${spec.v ?? 2}, key: ${formatKeyValue(Object.keys(spec.key), Object.values(spec.key))}, name: "${spec.name}" }`;
}
