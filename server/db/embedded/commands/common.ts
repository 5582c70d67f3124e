import type { Document } from 'bson';
import { CommandError, commandError } from '../errors.js';
import type { CollectionStore } from '../storage/types.js';
import { isPlainObject, promote, typeAlias } from './bson/values.js';
import type { CommandRequest, ServerContext } from './context.js';
import { locationError } from './locationError.js';
import { runPipeline } from './query/matcher.js';

/** A command implementation: returns the reply (a document, or bytes already encoded). */
export type CommandHandler = (req: CommandRequest, ctx: ServerContext) => Document | Buffer | Promise<Document | Buffer>;

/** Fields any command may carry that say nothing about what it does (sessions, routing, API version). */
export const GENERIC_FIELDS = new Set([
  '$db', 'lsid', '$clusterTime', '$readPreference', 'comment', 'writeConcern', 'readConcern', 'maxTimeMS',
  'apiVersion', 'apiStrict', 'apiDeprecationErrors', '$audit', '$client',
]);

/** A command table entry. */
export interface CommandSpec {
  handler: CommandHandler;
  /** Writes data: the reply waits for `storage.flush()` (acknowledged means durable). */
  write?: boolean | ((req: CommandRequest) => boolean);
}

/**
 * The collection a command targets (its first field), validated like MongoDB does:
 * InvalidNamespace for a non-string, empty or `$`-containing name.
 */
export function collectionOf(req: CommandRequest): string {
  const name = req.target;
  if (typeof name !== 'string') {
    throw commandError('InvalidNamespace', `collection name has invalid type ${typeAlias(name)}`);
  }
  validateCollectionName(req.db, name);
  return name;
}

/** Throws InvalidNamespace for a name MongoDB would refuse. */
export function validateCollectionName(db: string, name: string): void {
  if (name.length === 0 || name.includes('\0') || name.startsWith('.') || (name.includes('$') && !name.startsWith('system.'))) {
    throw commandError('InvalidNamespace', `Invalid namespace specified '${db}.${name}'`);
  }
}

/** Throws InvalidNamespace for a database name MongoDB would refuse. */
export function validateDbName(db: string): void {
  if (db.length === 0 || db.length >= 64 || /[/\\. "$\0]/.test(db)) {
    throw commandError('InvalidNamespace', `Invalid database name: '${db}'`);
  }
}

/** Looks up a collection; undefined when it does not exist. */
export function findCollection(ctx: ServerContext, db: string, name: string): CollectionStore | undefined {
  return ctx.storage.collection(db, name);
}

function wrongType(command: string, field: string, value: unknown, expected: string): CommandError {
  return commandError('TypeMismatch', `BSON field '${command}.${field}' is the wrong type '${typeAlias(value)}', expected types '[${expected}]'`);
}

/** A numeric option as a JS number (Long/Decimal converted); undefined when absent. Throws TypeMismatch. */
export function numberOption(req: CommandRequest, field: string): number | undefined {
  const value = req.body[field];
  if (value === undefined || value === null) return undefined;
  const n = promote(value);
  const num = typeof n === 'number' ? n : typeof n === 'object' && n !== null && 'toNumber' in n ? (n as { toNumber(): number }).toNumber() : undefined;
  if (num === undefined || Number.isNaN(num)) throw wrongType(req.name, field, value, 'long, int, decimal, double');
  return num;
}

/** A non-negative integer option (skip, limit, batchSize); throws 51024 for negatives like MongoDB. */
export function countOption(req: CommandRequest, field: string): number | undefined {
  const n = numberOption(req, field);
  if (n === undefined) return undefined;
  if (n < 0) throw locationError(51024, `BSON field '${field}' value must be >= 0, actual value '${n}'`);
  return Math.trunc(n);
}

/** A boolean option (numbers accepted as MongoDB does); throws TypeMismatch. */
export function boolOption(req: CommandRequest, field: string): boolean | undefined {
  const value = req.body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  throw wrongType(req.name, field, value, 'bool');
}

/** An embedded-document option; throws TypeMismatch. */
export function docOption(req: CommandRequest, field: string, source: Document = req.body): Document | undefined {
  const value = source[field];
  if (value === undefined || value === null) return undefined;
  if (!isPlainObject(value)) throw wrongType(req.name, field, value, 'object');
  return value;
}

/** A required array-of-documents field (documents, updates, deletes); throws TypeMismatch / BadValue. */
export function docArray(req: CommandRequest, field: string, source: Document = req.body): Document[] {
  const value = source[field];
  if (value === undefined) throw locationError(40414, `BSON field '${req.name}.${field}' is missing but a required field`);
  if (!Array.isArray(value)) throw wrongType(req.name, field, value, 'array');
  for (const item of value) if (!isPlainObject(item)) throw wrongType(req.name, field, item, 'object');
  return value;
}

/**
 * Refuses a field a command's IDL does not declare, as MongoDB's strict parser does: the
 * whole command fails with 40415 before anything runs. `path` is e.g. `update.updates`.
 */
export function checkKnownFields(doc: Document, known: ReadonlySet<string>, path: string): void {
  for (const key of Object.keys(doc)) {
    if (!known.has(key)) throw locationError(40415, `BSON field '${path}.${key}' is an unknown field.`);
  }
}

/** Converts a thrown value into a per-statement write error entry. */
export function writeErrorOf(index: number, err: unknown): Document {
  if (err instanceof CommandError) return { index, code: err.code, errmsg: err.message, ...err.extra };
  return { index, code: 1, errmsg: err instanceof Error ? err.message : String(err) };
}

/**
 * The `let` variables of a command: each value is an expression (`{$literal: ...}`,
 * `{$rand: {}}`, ...) evaluated once, before the command runs, as MongoDB does.
 */
export function letOption(req: CommandRequest): Document | undefined {
  const spec = docOption(req, 'let');
  if (!spec) return undefined;
  const [values] = runPipeline([{}], [{ $replaceWith: spec }], {});
  return values ?? {};
}
