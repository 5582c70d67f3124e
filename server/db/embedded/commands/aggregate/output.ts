import { randomUUID } from 'node:crypto';
import { ObjectId, type Document } from 'bson';
import { commandError } from '../../errors.js';
import type { CollectionStore, StoredDocument } from '../../storage/types.js';
import { storedFromDocument, typedOf, withIdFirst } from '../bson/documents.js';
import { renderValue } from '../bson/render.js';
import { isPlainObject } from '../bson/values.js';
import { validateCollectionName, validateDbName } from '../common.js';
import type { ServerContext } from '../context.js';
import { locationError } from '../locationError.js';
import { runPipeline } from '../query/matcher.js';
import { findFirst } from '../query/planner.js';
import { valuesAtPath } from '../query/sort.js';
import { restoreTypes } from '../update/pipelineUpdate.js';
import { collectionNotView, ensureCollectionNotView } from '../views.js';
import { insertValidated, replaceValidated } from '../writeSupport.js';

/** Maps a pipeline result back to exact types: a stored document's own bytes when unchanged. */
export type TypedView = (doc: Document) => Document;

function target(arg: unknown, db: string, stage: string): { db: string; coll: string } {
  const spec = typeof arg === 'string' ? { db, coll: arg } : isPlainObject(arg) ? { db: arg.db ?? db, coll: arg.coll } : undefined;
  if (!spec || typeof spec.db !== 'string' || typeof spec.coll !== 'string') {
    throw commandError('FailedToParse', `${stage} target must be a collection name or {db, coll}`);
  }
  validateDbName(spec.db);
  validateCollectionName(spec.db, spec.coll);
  return spec as { db: string; coll: string };
}

/**
 * $out: writes the results into a temporary collection carrying the target's options and
 * indexes, then renames it over the target, so a failure (e.g. a duplicate key) leaves the
 * target as it was.
 */
export function writeOut(ctx: ServerContext, db: string, arg: unknown, results: Document[], typed: TypedView): void {
  const dest = target(arg, db, '$out');
  const existing = collectionNotView(ctx, dest.db, dest.coll);
  const tmpName = `tmp.agg_out.${randomUUID()}`;
  const tmp = ctx.storage.createCollection(dest.db, tmpName, existing ? { ...existing.options } : {});
  try {
    for (const index of existing?.indexes() ?? []) if (index.name !== '_id_') tmp.createIndex(index);
    for (const doc of results) tmp.insert(storedFromDocument(withIdFirst(typed(doc))));
    ctx.storage.renameCollection(dest.db, tmpName, dest.db, dest.coll, true);
  } catch (err) {
    ctx.storage.dropCollection(dest.db, tmpName);
    throw err;
  }
}

interface MergeSpec {
  on: string[];
  whenMatched: unknown;
  whenNotMatched: string;
  variables?: Document;
}

function parseMerge(arg: unknown): MergeSpec & { into: unknown } {
  const spec = typeof arg === 'string' ? { into: arg } : (arg as Document);
  const on = spec.on === undefined ? ['_id'] : Array.isArray(spec.on) ? spec.on.map(String) : [String(spec.on)];
  const whenMatched = spec.whenMatched ?? 'merge';
  const whenNotMatched = String(spec.whenNotMatched ?? 'insert');
  if (!Array.isArray(whenMatched) && !['replace', 'keepExisting', 'merge', 'fail'].includes(String(whenMatched))) {
    throw commandError('BadValue', `Enumeration value '${String(whenMatched)}' for field '$merge.whenMatched' is not a valid value.`);
  }
  if (!['insert', 'discard', 'fail'].includes(whenNotMatched)) {
    throw commandError('BadValue', `Enumeration value '${whenNotMatched}' for field '$merge.whenNotMatched' is not a valid value.`);
  }
  return { into: spec.into, on, whenMatched, whenNotMatched, variables: isPlainObject(spec.let) ? spec.let : undefined };
}

function matchOf(collection: CollectionStore, doc: Document, on: string[]): StoredDocument | undefined {
  if (on.length === 1 && on[0] === '_id') return collection.getById(doc._id);
  const filter: Document = {};
  for (const field of on) {
    const values = valuesAtPath(doc, field);
    const value = values[0];
    if (values.length !== 1 || value === undefined || value === null || Array.isArray(value)) {
      throw locationError(51132, `$merge write error: 'on' field cannot be missing, null or an array. Field '${field}' in document ${renderValue(doc)}`);
    }
    filter[field] = { $eq: value };
  }
  return findFirst(collection, filter);
}

/** $merge: folds the results into the target collection by the `on` fields. */
export function writeMerge(ctx: ServerContext, db: string, arg: unknown, results: Document[], typed: TypedView, bypass: boolean): void {
  const spec = parseMerge(arg);
  const dest = target(spec.into, db, '$merge');
  const collection = ensureCollectionNotView(ctx, dest.db, dest.coll);
  for (const result of results) {
    const doc = '_id' in result ? result : { _id: new ObjectId(), ...result };
    const existing = matchOf(collection, doc, spec.on);
    if (!existing) {
      if (spec.whenNotMatched === 'discard') continue;
      if (spec.whenNotMatched === 'fail') {
        throw locationError(13113, '$merge could not find a matching document in the target collection for at least one document in the source collection');
      }
      insertValidated(ctx, collection, storedFromDocument(withIdFirst(typed(doc))), bypass);
      continue;
    }
    const old = typedOf(existing);
    let next: Document;
    if (Array.isArray(spec.whenMatched)) {
      const [out] = runPipeline([existing.plain], spec.whenMatched as Document[], { variables: { ...spec.variables, new: doc } });
      next = restoreTypes(out ?? {}, old) as Document;
    } else if (spec.whenMatched === 'keepExisting') {
      continue;
    } else if (spec.whenMatched === 'fail') {
      const keyPattern = Object.fromEntries(spec.on.map((f) => [f, 1]));
      const keyValue = Object.fromEntries(spec.on.map((f) => [f, valuesAtPath(doc, f)[0]]));
      throw commandError('DuplicateKey', `E11000 duplicate key error collection: ${dest.db}.${dest.coll} index: _id_ dup key: ${renderValue(keyValue)}`, {
        keyPattern,
        keyValue,
      });
    } else if (spec.whenMatched === 'replace') {
      next = { ...typed(doc), _id: old._id };
    } else {
      next = { ...old, ...typed(doc), _id: old._id };
    }
    replaceValidated(ctx, collection, existing, storedFromDocument(withIdFirst(next)), bypass);
  }
}
