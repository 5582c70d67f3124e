import type { Document } from 'bson';
import { CommandError, commandError } from '../errors.js';
import { encodeBson } from '../wire/protocol.js';
import type { IndexSpec } from '../storage/types.js';
import { encodeCursorReply } from './bson/envelope.js';
import { renderValue } from './bson/render.js';
import { bsonEquals, isPlainObject } from './bson/values.js';
import { collectionOf, docOption, type CommandSpec } from './common.js';
import type { CommandRequest, ServerContext } from './context.js';
import { compileFilter } from './query/matcher.js';
import { collectionNotView, ensureCollectionNotView } from './views.js';

const SPECIAL_KEYS = new Set(['text', '2dsphere', '2d', 'hashed', 'geoHaystack']);
// Fields of an index spec that describe the request rather than the index.
const NOT_OPTIONS = new Set(['v', 'ns', 'key', 'name']);

/** Validates one index specification from createIndexes; throws FailedToParse / CannotCreateIndex. */
function parseIndexSpec(raw: unknown): IndexSpec {
  if (!isPlainObject(raw)) throw commandError('TypeMismatch', 'Each index specification must be an object');
  const key = raw.key;
  if (!isPlainObject(key)) throw commandError('FailedToParse', "The 'key' field is a required property of an index specification");
  if (Object.keys(key).length === 0) throw new CommandError(67, 'CannotCreateIndex', 'Index keys cannot be empty.');
  for (const [field, value] of Object.entries(key)) {
    const ok = (typeof value === 'number' && value !== 0 && Number.isFinite(value)) || (typeof value === 'string' && SPECIAL_KEYS.has(value));
    if (!ok) {
      throw new CommandError(
        67,
        'CannotCreateIndex',
        `Error in specification { key: ${renderValue(key)} } :: caused by :: Values in the index key pattern can only be positive or negative numbers, or the strings "text", "2dsphere", "2d", "hashed": ${field}: ${renderValue(value)}`,
      );
    }
  }
  if (typeof raw.name !== 'string' || raw.name.length === 0) {
    throw commandError('FailedToParse', "The 'name' field is a required property of an index specification");
  }
  if (raw.partialFilterExpression !== undefined) {
    if (!isPlainObject(raw.partialFilterExpression)) throw commandError('TypeMismatch', 'partialFilterExpression must be an object');
    compileFilter(raw.partialFilterExpression);
  }
  const spec: IndexSpec = { name: raw.name, key };
  for (const [option, value] of Object.entries(raw)) if (!NOT_OPTIONS.has(option)) spec[option] = value;
  return spec;
}

function createIndexes(req: CommandRequest, ctx: ServerContext): Document {
  const name = collectionOf(req);
  const specs = req.body.indexes;
  if (!Array.isArray(specs)) throw commandError('TypeMismatch', "BSON field 'createIndexes.indexes' is the wrong type, expected type 'array'");
  if (specs.length === 0) throw commandError('BadValue', 'Must specify at least one index to create');
  const parsed = specs.map(parseIndexSpec);
  const existed = collectionNotView(ctx, req.db, name) !== undefined;
  const collection = ensureCollectionNotView(ctx, req.db, name);
  const numIndexesBefore = collection.indexes().length;
  let created = 0;
  for (const spec of parsed) if (collection.createIndex(spec)) created++;
  const reply: Document = {
    numIndexesBefore,
    numIndexesAfter: collection.indexes().length,
    createdCollectionAutomatically: !existed,
  };
  if (created === 0) reply.note = 'all indexes already exist';
  reply.ok = 1;
  return reply;
}

/** An index as listIndexes reports it: `{v: 2, key, name, ...options}`. */
export function describeIndex(spec: IndexSpec): Document {
  const { name, key, ...options } = spec;
  return { v: 2, key, name, ...options };
}

function listIndexes(req: CommandRequest, ctx: ServerContext): Buffer {
  const name = collectionOf(req);
  const collection = collectionNotView(ctx, req.db, name);
  if (!collection) throw commandError('NamespaceNotFound', `ns does not exist: ${req.db}.${name}`);
  const ns = `${req.db}.${name}`;
  const cursor = docOption(req, 'cursor') ?? {};
  const batchSize = typeof cursor.batchSize === 'number' ? cursor.batchSize : undefined;
  const docs = collection.indexes().map((i) => encodeBson(describeIndex(i)));
  const { id, batch } = ctx.cursors.open(ns, docs[Symbol.iterator](), batchSize);
  return encodeCursorReply(ns, id, 'firstBatch', batch);
}

function dropIndexes(req: CommandRequest, ctx: ServerContext): Document {
  const name = collectionOf(req);
  const collection = collectionNotView(ctx, req.db, name);
  if (!collection) throw commandError('NamespaceNotFound', `ns not found ${req.db}.${name}`);
  const nIndexesWas = collection.indexes().length;
  const target = req.body.index;
  let names: string[];
  if (target === '*') {
    names = collection.indexes().map((i) => i.name).filter((n) => n !== '_id_');
  } else if (typeof target === 'string') {
    names = [target];
  } else if (Array.isArray(target)) {
    names = target.map(String);
  } else if (isPlainObject(target)) {
    const found = collection.indexes().find((i) => bsonEquals(i.key, target));
    if (!found) throw commandError('IndexNotFound', `can't find index with key: ${renderValue(target)}`);
    names = [found.name];
  } else {
    throw commandError('TypeMismatch', "BSON field 'dropIndexes.index' is the wrong type, expected types '[string, object, array]'");
  }
  const existing = new Set(collection.indexes().map((i) => i.name));
  for (const index of names) {
    if (index === '_id_') throw commandError('InvalidOptions', 'cannot drop _id index');
    if (!existing.has(index)) throw commandError('IndexNotFound', `index not found with name [${index}]`);
  }
  for (const index of names) collection.dropIndex(index);
  return { nIndexesWas, ok: 1 };
}

/** createIndexes, listIndexes and dropIndexes (alias deleteIndexes). */
export const indexCommands: Record<string, CommandSpec> = {
  createIndexes: { handler: createIndexes, write: true },
  listIndexes: { handler: listIndexes },
  dropIndexes: { handler: dropIndexes, write: true },
  deleteIndexes: { handler: dropIndexes, write: true },
};
