import type { Document } from 'bson';
import type { CollectionStore, StoredDocument } from '../../storage/types.js';
import { storedFromDocument, typedOf, validateId, withIdFirst } from '../bson/documents.js';
import type { ServerContext } from '../context.js';
import { insertValidated, replaceValidated } from '../writeSupport.js';
import { applyUpdate } from './applyUpdate.js';
import { upsertSeed } from './upsert.js';

/** One update statement, as update and findAndModify share it. */
export interface UpdateStatement {
  /** The filter, promoted (matching, positional `$`). */
  filter: Document;
  /** The same filter read with exact types (an upsert copies its equality values). */
  typedFilter: Document;
  /** `u` read with exact types: operators, replacement document or pipeline. */
  update: unknown;
  arrayFilters?: unknown;
  variables?: Document;
  bypassValidation: boolean;
  now: Date;
}

/**
 * Applies the statement to one stored document and writes the result when it changed.
 * Returns the new stored document and whether it differs. Throws 11000/121/66/...
 */
export function updateStored(
  ctx: ServerContext,
  collection: CollectionStore,
  doc: StoredDocument,
  statement: UpdateStatement,
): { doc: StoredDocument; modified: boolean } {
  const typed = applyUpdate(typedOf(doc), statement.update, {
    filter: statement.filter,
    arrayFilters: statement.arrayFilters,
    variables: statement.variables,
    now: statement.now,
  });
  const next = storedFromDocument(typed, 'Resulting document after update is larger than 16777216; document');
  const modified = replaceValidated(ctx, collection, doc, next, statement.bypassValidation);
  return { doc: modified ? next : doc, modified };
}

/**
 * Inserts the document an upsert creates: the filter's equality fields, then the update
 * (with `$setOnInsert`), `_id` from the filter or a new ObjectId, placed first.
 */
export function upsertStored(ctx: ServerContext, collection: CollectionStore, statement: UpdateStatement): StoredDocument {
  const seed = upsertSeed(statement.typedFilter);
  const typed = applyUpdate(seed, statement.update, {
    filter: statement.filter,
    arrayFilters: statement.arrayFilters,
    variables: statement.variables,
    now: statement.now,
    isInsert: true,
  });
  if (!('_id' in typed) && '_id' in seed) typed._id = seed._id;
  const doc = withIdFirst(typed);
  validateId(doc._id);
  const stored = storedFromDocument(doc);
  insertValidated(ctx, collection, stored, statement.bypassValidation);
  return stored;
}
