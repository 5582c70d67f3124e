import type { Document } from 'bson';
import { commandError } from '../errors.js';
import { encodeBson } from '../wire/protocol.js';
import type { CollectionOptions } from '../storage/types.js';
import { isPlainObject } from './bson/values.js';
import { encodeCursorReply } from './bson/envelope.js';
import { collectionOf, docOption, GENERIC_FIELDS, validateCollectionName, validateDbName, type CommandSpec } from './common.js';
import type { CommandRequest, ServerContext } from './context.js';
import { locationError } from './locationError.js';
import { compileFilter } from './query/matcher.js';
import { collectionNotView, createView, modifyView, viewDefinition } from './views.js';
import { checkValidatorSyntax } from './writeSupport.js';

const ID_INDEX = { v: 2, key: { _id: 1 }, name: '_id_' };
const LEVELS = ['off', 'strict', 'moderate'];
const ACTIONS = ['error', 'warn'];
// Options accepted by create and kept as collection options; others are refused.
const CREATE_OPTIONS = new Set([
  'validator', 'validationLevel', 'validationAction', 'capped', 'size', 'max', 'collation', 'storageEngine',
  'idIndex', 'indexOptionDefaults', 'changeStreamPreAndPostImages', 'autoIndexId', 'flags',
]);
const UNSUPPORTED_CREATE = new Set(['timeseries', 'clusteredIndex', 'encryptedFields', 'expireAfterSeconds']);

function checkValidationOptions(options: Document): void {
  if (options.validationLevel !== undefined && !LEVELS.includes(String(options.validationLevel))) {
    throw commandError('BadValue', `Enumeration value '${String(options.validationLevel)}' for field 'validationLevel' is not a valid value.`);
  }
  if (options.validationAction !== undefined && !ACTIONS.includes(String(options.validationAction))) {
    throw commandError('BadValue', `Enumeration value '${String(options.validationAction)}' for field 'validationAction' is not a valid value.`);
  }
  if (options.validator !== undefined) {
    if (!isPlainObject(options.validator)) throw commandError('TypeMismatch', `BSON field 'validator' is the wrong type, expected type 'object'`);
    checkValidatorSyntax(options.validator);
  }
}

function listCollections(req: CommandRequest, ctx: ServerContext): Buffer {
  validateDbName(req.db);
  const test = compileFilter(docOption(req, 'filter'));
  const nameOnly = req.body.nameOnly === true;
  const entries: Document[] = [];
  for (const collection of ctx.storage.listCollections(req.db)) {
    const full: Document = viewDefinition(collection)
      ? { name: collection.name, type: 'view', options: { ...collection.options }, info: { readOnly: true } }
      : { name: collection.name, type: 'collection', options: { ...collection.options }, info: { readOnly: false }, idIndex: ID_INDEX };
    if (!test(full)) continue;
    entries.push(nameOnly ? { name: full.name, type: full.type } : full);
  }
  const ns = `${req.db}.$cmd.listCollections`;
  const cursor = docOption(req, 'cursor') ?? {};
  const batchSize = typeof cursor.batchSize === 'number' ? cursor.batchSize : undefined;
  const { id, batch } = ctx.cursors.open(ns, entries.map((e) => encodeBson(e))[Symbol.iterator](), batchSize);
  return encodeCursorReply(ns, id, 'firstBatch', batch);
}

function create(req: CommandRequest, ctx: ServerContext): Document {
  const name = collectionOf(req);
  validateDbName(req.db);
  const options: CollectionOptions = {};
  const isView = req.body.viewOn !== undefined || req.body.pipeline !== undefined;
  for (const [key, value] of Object.entries(req.body)) {
    if (key === 'create' || GENERIC_FIELDS.has(key)) continue;
    if (isView && (key === 'viewOn' || key === 'pipeline')) {
      options[key] = value;
      continue;
    }
    if (UNSUPPORTED_CREATE.has(key)) throw commandError('NotImplemented', `The embedded server does not support '${key}' collections`);
    if (!CREATE_OPTIONS.has(key)) throw locationError(40415, `BSON field 'create.${key}' is an unknown field.`);
    options[key] = value;
  }
  if (isView) {
    createView(ctx, req.db, name, options);
    return { ok: 1 };
  }
  checkValidationOptions(req.body);
  if (ctx.storage.collection(req.db, name)) throw commandError('NamespaceExists', `Collection ${req.db}.${name} already exists.`);
  ctx.storage.createCollection(req.db, name, options);
  return { ok: 1 };
}

function drop(req: CommandRequest, ctx: ServerContext): Document {
  const name = collectionOf(req);
  const collection = ctx.storage.collection(req.db, name);
  // MongoDB 7.0 treats dropping a missing collection as success.
  if (!collection) return { ok: 1 };
  if (viewDefinition(collection)) {
    ctx.storage.dropCollection(req.db, name);
    return { ok: 1 };
  }
  const nIndexesWas = collection.indexes().length;
  ctx.storage.dropCollection(req.db, name);
  return { nIndexesWas, ns: `${req.db}.${name}`, ok: 1 };
}

function splitNamespace(value: unknown, field: string): [string, string] {
  if (typeof value !== 'string') throw commandError('TypeMismatch', `'${field}' must be of type String`);
  const dot = value.indexOf('.');
  if (dot <= 0 || dot === value.length - 1) throw commandError('InvalidNamespace', `Invalid ${field} namespace: ${value}`);
  const db = value.slice(0, dot);
  const coll = value.slice(dot + 1);
  validateDbName(db);
  validateCollectionName(db, coll);
  return [db, coll];
}

function renameCollection(req: CommandRequest, ctx: ServerContext): Document {
  if (req.db !== 'admin') throw commandError('IllegalOperation', 'renameCollection may only be run against the admin database.');
  const [fromDb, from] = splitNamespace(req.body.renameCollection, 'source');
  const [toDb, to] = splitNamespace(req.body.to, 'target');
  if (fromDb === toDb && from === to) throw commandError('IllegalOperation', "Can't rename a collection to itself");
  const source = ctx.storage.collection(fromDb, from);
  if (!source) throw commandError('NamespaceNotFound', `Source collection ${fromDb}.${from} does not exist`);
  if (viewDefinition(source)) throw commandError('CommandNotSupportedOnView', `cannot rename view: ${fromDb}.${from}`);
  const dropTarget = req.body.dropTarget === true;
  const existing = ctx.storage.collection(toDb, to);
  // Even dropTarget does not replace a view.
  if (viewDefinition(existing)) throw commandError('NamespaceExists', `a view already exists with that name: ${toDb}.${to}`);
  if (existing && !dropTarget) throw commandError('NamespaceExists', 'target namespace exists');
  ctx.storage.renameCollection(fromDb, from, toDb, to, dropTarget);
  return { ok: 1 };
}

function collMod(req: CommandRequest, ctx: ServerContext): Document {
  const name = collectionOf(req);
  const collection = ctx.storage.collection(req.db, name);
  if (!collection) throw commandError('NamespaceNotFound', `ns does not exist: ${req.db}.${name}`);
  const changes = Object.fromEntries(Object.entries(req.body).filter(([key]) => key !== 'collMod' && !GENERIC_FIELDS.has(key)));
  if (viewDefinition(collection)) {
    modifyView(ctx, collection, changes);
    return { ok: 1 };
  }
  for (const key of ['viewOn', 'pipeline']) {
    if (key in changes) throw commandError('InvalidOptions', `option only supported on a view: ${key}`);
  }
  const typed = req.body;
  if (typed.index !== undefined) throw commandError('NotImplemented', 'collMod index changes are not supported by the embedded server');
  checkValidationOptions(req.body);
  const options: CollectionOptions = { ...collection.options };
  for (const key of ['validator', 'validationLevel', 'validationAction'] as const) {
    if (typed[key] !== undefined) options[key] = typed[key];
  }
  collection.setOptions(options);
  return { ok: 1 };
}

function collStats(req: CommandRequest, ctx: ServerContext): Document {
  const name = collectionOf(req);
  const collection = collectionNotView(ctx, req.db, name);
  if (!collection) throw commandError('NamespaceNotFound', `Collection [${req.db}.${name}] not found.`);
  let size = 0;
  for (const doc of collection.all()) size += doc.raw.length;
  const count = collection.count();
  const indexes = collection.indexes();
  return {
    ns: `${req.db}.${name}`,
    size,
    count,
    avgObjSize: count ? Math.round(size / count) : 0,
    storageSize: size,
    capped: collection.options.capped === true,
    nindexes: indexes.length,
    totalIndexSize: 0,
    indexSizes: Object.fromEntries(indexes.map((i) => [i.name, 0])),
    ok: 1,
  };
}

/** Collection lifecycle and metadata commands. */
export const collectionCommands: Record<string, CommandSpec> = {
  listCollections: { handler: listCollections },
  create: { handler: create, write: true },
  drop: { handler: drop, write: true },
  renameCollection: { handler: renameCollection, write: true },
  collMod: { handler: collMod, write: true },
  collStats: { handler: collStats },
};
