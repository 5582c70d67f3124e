import type { Document } from 'bson';
import { commandError } from '../errors.js';
import type { CollectionStore, StoredDocument } from '../storage/types.js';
import type { ServerContext } from './context.js';
import { compileFilter, type Matcher } from './query/matcher.js';

function validatorFor(validator: Document, cache?: WeakMap<Document, Matcher>): Matcher {
  let test = cache?.get(validator);
  if (!test) {
    test = compileFilter(validator);
    cache?.set(validator, test);
  }
  return test;
}

/** Checks that a validator can be compiled (create/collMod); throws BadValue otherwise. */
export function checkValidatorSyntax(validator: Document | undefined): void {
  if (validator && Object.keys(validator).length > 0) validatorFor(validator);
}

/**
 * Applies the collection's validator to a document about to be written. With
 * `validationLevel: "moderate"`, updates of documents that already failed are allowed; with
 * `validationAction: "warn"`, failures are only logged. Throws DocumentValidationFailure (121).
 */
export function checkValidation(
  ctx: ServerContext,
  collection: CollectionStore,
  doc: StoredDocument,
  previous: StoredDocument | undefined,
  bypass: boolean,
): void {
  const { validator, validationLevel, validationAction } = collection.options;
  if (bypass || !validator || Object.keys(validator).length === 0 || validationLevel === 'off') return;
  const test = validatorFor(validator, ctx.validators);
  if (test(doc.plain, doc.raw)) return;
  if (previous && validationLevel === 'moderate' && !test(previous.plain, previous.raw)) return;
  if (validationAction === 'warn') {
    ctx.logger.warn({ ns: `${collection.db}.${collection.name}`, id: String(doc.plain._id) }, 'Document would fail validation');
    return;
  }
  throw commandError('DocumentValidationFailure', 'Document failed validation', {
    errInfo: {
      failingDocumentId: doc.plain._id,
      details: { operatorName: '$and', specifiedAs: validator, reason: 'the document does not match the collection validator' },
    },
  });
}

/** Validates and inserts one document. Throws 121 / 11000. */
export function insertValidated(ctx: ServerContext, collection: CollectionStore, doc: StoredDocument, bypass: boolean): void {
  checkValidation(ctx, collection, doc, undefined, bypass);
  collection.insert(doc);
}

/** Validates and replaces one document; returns false when the bytes did not change (a no-op). */
export function replaceValidated(
  ctx: ServerContext,
  collection: CollectionStore,
  oldDoc: StoredDocument,
  newDoc: StoredDocument,
  bypass: boolean,
): boolean {
  if (oldDoc.raw.equals(newDoc.raw)) return false;
  checkValidation(ctx, collection, newDoc, oldDoc, bypass);
  collection.replace(oldDoc, newDoc);
  return true;
}
