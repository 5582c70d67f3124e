import { BSON, ObjectId, type Document } from 'bson';
import { commandError } from '../../errors.js';
import type { StoredDocument } from '../../storage/types.js';
import { encodeBson, MAX_BSON_OBJECT_SIZE } from '../../wire/protocol.js';
import { bsonTag, isPlainObject } from './values.js';

/** Wraps BSON bytes as a stored document (`plain` is the default promoted reading). */
export function storedFromRaw(raw: Buffer, plain?: Document): StoredDocument {
  return { raw, plain: plain ?? BSON.deserialize(raw) };
}

/**
 * Serializes a (typed or promoted) document for storage. Throws BadValue when it exceeds
 * 16 MiB, as MongoDB does for an oversized insert or update result.
 */
export function storedFromDocument(doc: Document, what = 'object to insert'): StoredDocument {
  const raw = encodeBson(doc);
  if (raw.length > MAX_BSON_OBJECT_SIZE) {
    throw commandError('BadValue', `${what} too large. size in bytes: ${raw.length}, max size: ${MAX_BSON_OBJECT_SIZE}`);
  }
  return storedFromRaw(raw);
}

/** Reads a stored document back with Int32/Double/Long wrappers kept (for exact rewrites). */
export function typedOf(doc: StoredDocument): Document {
  return BSON.deserialize(doc.raw, { promoteValues: false });
}

/** Checks an `_id` value MongoDB would refuse to store; throws InvalidIdField / DollarPrefixedFieldName. */
export function validateId(id: unknown): void {
  if (Array.isArray(id)) throw commandError('InvalidIdField', `The '_id' value cannot be of type array`);
  if (id === undefined) throw commandError('InvalidIdField', `The '_id' value cannot be undefined`);
  if (id instanceof RegExp || bsonTag(id) === 'BSONRegExp') throw commandError('InvalidIdField', `The '_id' value cannot be of type regex`);
  if (isPlainObject(id)) assertNoDollarKeys(id);
}

function assertNoDollarKeys(doc: Document): void {
  for (const key of Object.keys(doc)) {
    if (key.startsWith('$')) {
      throw commandError('DollarPrefixedFieldName', `_id fields may not contain '$'-prefixed fields: ${key} is not valid for storage.`);
    }
    if (isPlainObject(doc[key])) assertNoDollarKeys(doc[key]);
  }
}

/** Returns `doc` with `_id` as its first field, generating an ObjectId when absent. */
export function withIdFirst(doc: Document): Document {
  const keys = Object.keys(doc);
  if (keys[0] === '_id') return doc;
  const out: Document = { _id: '_id' in doc ? doc._id : new ObjectId() };
  for (const key of keys) if (key !== '_id') out[key] = doc[key];
  return out;
}

/**
 * Prepares a document received for insertion. Raw bytes whose first field is `_id` are kept
 * byte for byte (copied off the network buffer); otherwise the typed reading is reordered
 * and re-encoded, which preserves every value's BSON type.
 */
export function prepareInsert(input: { raw?: Buffer; plain?: Document; typed?: Document }): StoredDocument {
  if (input.raw && firstFieldIsId(input.raw)) {
    const plain = input.plain ?? BSON.deserialize(input.raw);
    validateId(plain._id);
    if (input.raw.length > MAX_BSON_OBJECT_SIZE) return storedFromDocument(plain);
    return storedFromRaw(Buffer.from(input.raw), plain);
  }
  const typed = input.typed ?? (input.raw ? BSON.deserialize(input.raw, { promoteValues: false }) : undefined);
  if (!typed) throw commandError('BadValue', 'document to insert is missing');
  const doc = withIdFirst(typed);
  validateId(doc._id);
  return storedFromDocument(doc);
}

function firstFieldIsId(raw: Buffer): boolean {
  // Element layout: type byte, then the field name as a C string, starting at offset 4.
  return raw.length >= 9 && raw[4] !== 0 && raw[5] === 0x5f && raw[6] === 0x69 && raw[7] === 0x64 && raw[8] === 0;
}
