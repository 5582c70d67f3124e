import type { Document } from 'bson';
import type { CollectionStore, StoredDocument } from '../../storage/types.js';
import { Bracket, bracketOf, isPlainObject } from '../bson/values.js';
import { compileFilter } from './matcher.js';

/** What a read runs over: a collection, or the documents a view yields (no indexes, so scanned). */
export type ReadSource = CollectionStore | readonly StoredDocument[];

/** How a query was answered (reported by explain). */
export interface Plan {
  stage: 'IDHACK' | 'IXSCAN' | 'COLLSCAN';
  indexName?: string;
}

/**
 * The value a filter requires `field` to equal, or undefined when the filter does not pin
 * it to a single scalar an index can look up (ranges, regexes, arrays, null, documents).
 */
export function equalityValue(filter: Document, field: string): unknown {
  if (!(field in filter)) {
    const and = filter.$and;
    if (Array.isArray(and)) {
      for (const clause of and) {
        if (isPlainObject(clause)) {
          const value = equalityValue(clause, field);
          if (value !== undefined) return value;
        }
      }
    }
    return undefined;
  }
  let value = filter[field];
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === '$eq') value = value.$eq;
    else return undefined;
  }
  return indexable(value) ? value : undefined;
}

function indexable(value: unknown): boolean {
  switch (bracketOf(value)) {
    case Bracket.Null:
    case Bracket.Array:
    case Bracket.Object:
    case Bracket.RegExp:
    case Bracket.MinKey:
    case Bracket.MaxKey:
      return false;
  }
  return true;
}

/**
 * Picks the documents that could match: `getById` for an `_id` equality, `findByIndex` for
 * equality on the leading fields of a full (non-partial, non-special) index, else a scan.
 * A view's documents are always scanned: they have no index, and `_id` need not be unique.
 * Callers must still test the whole filter against each candidate.
 */
export function candidates(source: ReadSource, filter: Document | undefined): { docs: Iterable<StoredDocument>; plan: Plan } {
  if (isDocumentList(source)) return { docs: source, plan: { stage: 'COLLSCAN' } };
  const collection = source;
  if (!filter) return { docs: collection.all(), plan: { stage: 'COLLSCAN' } };
  const id = equalityValue(filter, '_id');
  if (id !== undefined) {
    const doc = collection.getById(id);
    return { docs: doc ? [doc] : [], plan: { stage: 'IDHACK' } };
  }
  const ids = idList(filter);
  if (ids) return { docs: byIds(collection, ids), plan: { stage: 'IXSCAN', indexName: '_id_' } };
  let best: { name: string; values: unknown[] } | undefined;
  for (const index of collection.indexes()) {
    if (index.name === '_id_' || index.partialFilterExpression) continue;
    const fields = Object.keys(index.key);
    if (fields.some((f) => typeof index.key[f] === 'string')) continue;
    const values: unknown[] = [];
    for (const field of fields) {
      const value = equalityValue(filter, field);
      if (value === undefined) break;
      values.push(value);
    }
    if (values.length > 0 && (!best || values.length > best.values.length)) best = { name: index.name, values };
  }
  if (best) return { docs: collection.findByIndex(best.name, best.values), plan: { stage: 'IXSCAN', indexName: best.name } };
  return { docs: collection.all(), plan: { stage: 'COLLSCAN' } };
}

/** The values of `_id: {$in: [...]}` when each can be looked up by key, else undefined. */
function idList(filter: Document): unknown[] | undefined {
  const value = filter._id;
  if (!isPlainObject(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1 || keys[0] !== '$in' || !Array.isArray(value.$in)) return undefined;
  return value.$in.every(indexable) ? value.$in : undefined;
}

/**
 * The documents with those ids, in natural order (as a scan would yield them). Compaction deletes
 * a report's stored batches by `_id: {$in: [...]}`; scanning the collection and testing each
 * document against thousands of ids made that delete quadratic.
 */
function byIds(collection: CollectionStore, ids: unknown[]): Iterable<StoredDocument> {
  const found = new Set<StoredDocument>();
  for (const id of ids) {
    const doc = collection.getById(id);
    if (doc) found.add(doc);
  }
  if (found.size < 2) return found;
  const ordered: StoredDocument[] = [];
  for (const doc of collection.all()) {
    if (found.has(doc)) ordered.push(doc);
    if (ordered.length === found.size) break;
  }
  return ordered;
}

function isDocumentList(source: ReadSource): source is readonly StoredDocument[] {
  return Array.isArray(source);
}

/** Every document of a read source, in natural order. */
export function sourceDocuments(source: ReadSource): Iterable<StoredDocument> {
  return isDocumentList(source) ? source : source.all();
}

/** Every document of the collection matching the filter, in natural order of its candidates. */
export function findMatching(collection: ReadSource, filter: Document | undefined, variables?: Document): StoredDocument[] {
  const test = compileFilter(filter, variables);
  const out: StoredDocument[] = [];
  for (const doc of candidates(collection, filter).docs) if (test(doc.plain, doc.raw)) out.push(doc);
  return out;
}

/** The first matching document (natural order), without collecting the rest. */
export function findFirst(collection: ReadSource, filter: Document | undefined, variables?: Document): StoredDocument | undefined {
  const test = compileFilter(filter, variables);
  for (const doc of candidates(collection, filter).docs) if (test(doc.plain, doc.raw)) return doc;
  return undefined;
}
