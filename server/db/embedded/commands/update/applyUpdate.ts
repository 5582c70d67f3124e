import type { Document } from 'bson';
import { commandError } from '../../errors.js';
import { locationError } from '../locationError.js';
import { renderValue } from '../bson/render.js';
import { bsonEquals, isPlainObject, typeAlias } from '../bson/values.js';
import { clone, UPDATE_OPERATORS, type OperatorContext } from './operators.js';
import { compileArrayFilters, validatePath } from './paths.js';
import { applyPipelineUpdate } from './pipelineUpdate.js';

/** The three shapes an update (`u`) can take. */
export type UpdateKind = 'operators' | 'replacement' | 'pipeline';

/** Options shared by every document one update statement touches. */
export interface UpdateOptions {
  /** The statement's query filter, promoted (positional `$`). */
  filter?: Document;
  arrayFilters?: unknown;
  /** The update creates a new document (upsert): `$setOnInsert` applies, `_id` may be set. */
  isInsert?: boolean;
  /** `let` variables for pipeline updates. */
  variables?: Document;
  now?: Date;
}

/** Classifies `u`; throws FailedToParse for something that is none of the three. */
export function classifyUpdate(update: unknown): UpdateKind {
  if (Array.isArray(update)) return 'pipeline';
  if (!isPlainObject(update)) throw commandError('FailedToParse', `Update argument must be either an object or an array`);
  const keys = Object.keys(update);
  if (keys.length > 0 && keys[0].startsWith('$')) return 'operators';
  return 'replacement';
}

interface Entry {
  op: string;
  path: string;
  operand: unknown;
}

/** Orders paths as MongoDB 5.0+ applies them: field by field, numeric parts numerically. */
function comparePaths(a: string, b: string): number {
  const x = a.split('.');
  const y = b.split('.');
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] === y[i]) continue;
    const nx = /^\d+$/.test(x[i]);
    const ny = /^\d+$/.test(y[i]);
    if (nx && ny) return Number(x[i]) - Number(y[i]);
    return x[i] < y[i] ? -1 : 1;
  }
  return x.length - y.length;
}

/** Parses an operator update into entries; checks modifiers, paths and conflicts. */
export function parseOperators(update: Document, isInsert: boolean): Entry[] {
  const entries: Entry[] = [];
  for (const [op, fields] of Object.entries(update)) {
    if (!op.startsWith('$') || !UPDATE_OPERATORS[op]) {
      throw commandError('FailedToParse', `Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`);
    }
    if (!isPlainObject(fields)) {
      throw commandError('FailedToParse', `Modifiers operate on fields but we found type ${typeAlias(fields)} instead. For example: {$mod: {<field>: ...}} not {${op}: ${renderValue(fields)}}`);
    }
    if (op === '$setOnInsert' && !isInsert) {
      for (const path of Object.keys(fields)) validatePath(path);
      entries.push(...Object.keys(fields).map((path) => ({ op: '$noop', path, operand: undefined })));
      continue;
    }
    for (const [path, operand] of Object.entries(fields)) {
      validatePath(path);
      entries.push({ op: op === '$setOnInsert' ? '$set' : op, path, operand });
      if (op === '$rename' && typeof operand === 'string') entries.push({ op: '$noop', path: operand, operand: undefined });
    }
  }
  checkConflicts(entries.map((e) => e.path));
  return entries.filter((e) => e.op !== '$noop').sort((a, b) => comparePaths(a.path, b.path));
}

function checkConflicts(paths: string[]): void {
  for (let i = 0; i < paths.length; i++) {
    for (let j = 0; j < i; j++) {
      const [a, b] = [paths[j], paths[i]];
      const shorter = a.length <= b.length ? a : b;
      const longer = shorter === a ? b : a;
      if (longer === shorter || longer.startsWith(`${shorter}.`)) {
        throw commandError('ConflictingUpdateOperators', `Updating the path '${b}' would create a conflict at '${shorter}'`);
      }
    }
  }
}

/** Checks a replacement document: no `$`-prefixed top-level fields. */
function checkReplacement(update: Document): void {
  for (const key of Object.keys(update)) {
    if (key.startsWith('$')) {
      throw commandError(
        'DollarPrefixedFieldName',
        `The dollar ($) prefixed field '${key}' in '${key}' is not allowed in the context of an update's replacement document. Consider using an aggregation pipeline with $replaceWith.`,
      );
    }
  }
}

/**
 * Applies an update (operators, replacement or pipeline) to a typed copy of a document and
 * returns the new typed document (`_id` first). Throws the MongoDB errors: FailedToParse,
 * ConflictingUpdateOperators, TypeMismatch, PathNotViable, ImmutableField, ...
 */
export function applyUpdate(doc: Document, update: unknown, options: UpdateOptions = {}): Document {
  const kind = classifyUpdate(update);
  let result: Document;
  if (kind === 'replacement') {
    const replacement = update as Document;
    checkReplacement(replacement);
    result = { _id: doc._id, ...clone(replacement) };
    if (!('_id' in replacement)) result._id = doc._id;
    if (!options.isInsert && '_id' in doc && !bsonEquals(result._id, doc._id)) {
      throw commandError('ImmutableField', `After applying the update, the (immutable) field '_id' was found to have been altered to _id: ${renderValue(result._id)}`);
    }
    if (result._id === undefined) delete result._id;
    return result;
  }
  if (kind === 'pipeline') {
    result = applyPipelineUpdate(doc, update as Document[], options);
  } else {
    const ctx: OperatorContext = {
      filter: options.filter,
      arrayFilters: compileArrayFilters(options.arrayFilters),
      usedIdentifiers: new Set(),
      now: options.now ?? new Date(),
    };
    const entries = parseOperators(update as Document, options.isInsert === true);
    const used = new Set(entries.flatMap((e) => [...e.path.matchAll(/\$\[([a-zA-Z0-9]+)\]/g)].map((m) => m[1])));
    for (const id of ctx.arrayFilters.keys()) {
      if (!used.has(id)) {
        throw commandError('FailedToParse', `The array filter for identifier '${id}' was not used in the update ${renderValue(update)}`);
      }
    }
    result = clone(doc);
    for (const entry of entries) UPDATE_OPERATORS[entry.op](result, entry.path, entry.operand, ctx);
  }
  if (!options.isInsert && '_id' in doc && !bsonEquals(result._id, doc._id)) {
    throw commandError('ImmutableField', `Performing an update on the path '_id' would modify the immutable field '_id'`);
  }
  if (kind === 'pipeline' && '_id' in result && isPlainObject(result._id) && Object.keys(result._id).some((k) => k.startsWith('$'))) {
    throw locationError(52, `_id fields may not contain '$'-prefixed fields`);
  }
  return result;
}
