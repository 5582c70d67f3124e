import type { Document } from 'bson';
import type { EntityMap } from './entities';
import { toReadPreference } from './entities';
import { RunnerError } from './runnerError';
import { numericValue } from './values';

/**
 * Turns an operation's `arguments` into what the driver takes: positional values stay BSON-typed
 * (so an `Int32` in a filter is sent as int32), while scalar options the driver inspects with
 * `typeof` (limits, batch sizes, time limits, sort directions) become plain numbers.
 */

const NUMERIC_OPTIONS = new Set(['limit', 'skip', 'batchSize', 'maxTimeMS', 'maxAwaitTimeMS', 'timeoutMS', 'maxCommitTimeMS']);

function plainNumber(value: unknown): unknown {
  const n = numericValue(value);
  return n === undefined ? value : Number(n);
}

function plainNumbersIn(document: unknown): unknown {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) return document;
  return Object.fromEntries(Object.entries(document as Document).map(([key, value]) => [key, plainNumber(value)]));
}

/** The arguments of one operation, split into positional values and driver options. */
export interface PreparedArguments {
  /** The required arguments, unconverted. */
  values: Document;
  /** The optional arguments present, converted to the driver's option types. */
  options: Document;
}

/**
 * Checks `args` against the names an operation accepts and converts its options.
 * @throws RunnerError for a missing required or an unknown argument (the spec requires raising).
 */
export function prepareArguments(
  operation: string,
  args: Document | undefined,
  required: readonly string[],
  optional: readonly string[],
  entities: EntityMap,
): PreparedArguments {
  const given = args ?? {};
  const missing = required.filter((name) => !(name in given));
  if (missing.length > 0) throw new RunnerError(`${operation}: missing argument(s) ${missing.join(', ')}`);
  const accepted = new Set([...required, ...optional]);
  const unknown = Object.keys(given).filter((name) => !accepted.has(name));
  if (unknown.length > 0) throw new RunnerError(`${operation}: unsupported argument(s) ${unknown.join(', ')}`);
  const values: Document = {};
  const options: Document = {};
  for (const [name, value] of Object.entries(given)) {
    if (required.includes(name)) values[name] = value;
    else options[name] = convertOption(name, value, entities);
  }
  return { values, options };
}

function convertOption(name: string, value: unknown, entities: EntityMap): unknown {
  if (NUMERIC_OPTIONS.has(name)) return plainNumber(value);
  switch (name) {
    case 'session':
      return entities.get(String(value), 'session').session;
    case 'returnDocument':
      // The spec spells the enum "Before"/"After"; the Node driver takes lower case.
      return String(value).toLowerCase();
    case 'sort':
      return plainNumbersIn(value);
    case 'readPreference':
      return toReadPreference(value as Document);
    default:
      return value;
  }
}

/** Converts one `bulkWrite` request model, checking its fields like {@link prepareArguments}. */
export function toBulkWriteModel(request: Document): Document {
  const [type, ...rest] = Object.keys(request);
  if (rest.length > 0) throw new RunnerError(`bulkWrite request with several types ${Object.keys(request).join(', ')}`);
  const fields: Record<string, readonly string[]> = {
    insertOne: ['document'],
    updateOne: ['filter', 'update', 'upsert', 'arrayFilters', 'collation', 'hint', 'sort'],
    updateMany: ['filter', 'update', 'upsert', 'arrayFilters', 'collation', 'hint'],
    replaceOne: ['filter', 'replacement', 'upsert', 'collation', 'hint', 'sort'],
    deleteOne: ['filter', 'collation', 'hint'],
    deleteMany: ['filter', 'collation', 'hint'],
  };
  const accepted = fields[type];
  if (!accepted) throw new RunnerError(`unsupported bulkWrite request ${type}`);
  const model = request[type] as Document;
  const unknown = Object.keys(model).filter((name) => !accepted.includes(name));
  if (unknown.length > 0) throw new RunnerError(`bulkWrite ${type}: unsupported field(s) ${unknown.join(', ')}`);
  const converted = 'sort' in model ? { ...model, sort: plainNumbersIn(model.sort) } : model;
  return { [type]: converted };
}

// The fields each client bulkWrite model takes, by model type.
const CLIENT_MODEL_FIELDS: Record<string, readonly string[]> = {
  insertOne: ['namespace', 'document'],
  updateOne: ['namespace', 'filter', 'update', 'upsert', 'arrayFilters', 'collation', 'hint', 'sort'],
  updateMany: ['namespace', 'filter', 'update', 'upsert', 'arrayFilters', 'collation', 'hint'],
  replaceOne: ['namespace', 'filter', 'replacement', 'upsert', 'collation', 'hint', 'sort'],
  deleteOne: ['namespace', 'filter', 'collation', 'hint'],
  deleteMany: ['namespace', 'filter', 'collation', 'hint'],
};

/**
 * Converts one `clientBulkWrite` model (`{insertOne: {namespace, document}}`) to the Node
 * driver's shape (`{name: 'insertOne', namespace, document}`), checking its fields.
 */
export function toClientBulkWriteModel(model: Document): Document {
  const [name, ...rest] = Object.keys(model);
  if (rest.length > 0) throw new RunnerError(`clientBulkWrite model with several types ${Object.keys(model).join(', ')}`);
  const accepted = CLIENT_MODEL_FIELDS[name];
  if (!accepted) throw new RunnerError(`unsupported clientBulkWrite model ${name}`);
  const fields = model[name] as Document;
  const unknown = Object.keys(fields).filter((field) => !accepted.includes(field));
  if (unknown.length > 0) throw new RunnerError(`clientBulkWrite ${name}: unsupported field(s) ${unknown.join(', ')}`);
  return { name, ...fields, ...('sort' in fields ? { sort: plainNumbersIn(fields.sort) } : {}) };
}
