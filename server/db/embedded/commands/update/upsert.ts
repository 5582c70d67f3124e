import type { Document } from 'bson';
import { commandError } from '../../errors.js';
import { bsonTag, isPlainObject } from '../bson/values.js';
import { clone } from './operators.js';
import { assign, resolveTargets } from './paths.js';

/**
 * The document an upsert starts from: the equality conditions of the (typed) filter,
 * including those inside `$and` and `$eq`, with dotted paths expanded into embedded
 * documents. Ranges, regexes and other operators contribute nothing, as in MongoDB.
 */
export function upsertSeed(filter: Document | undefined): Document {
  const seed: Document = {};
  if (filter) addEqualities(seed, filter);
  return seed;
}

function addEqualities(seed: Document, filter: Document): void {
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and' && Array.isArray(value)) {
      for (const clause of value) if (isPlainObject(clause)) addEqualities(seed, clause);
      continue;
    }
    if (key.startsWith('$')) continue;
    const equal = equalityOf(value);
    if (equal === NONE) continue;
    const [target] = resolveTargets(seed, key, { arrayFilters: new Map(), usedIdentifiers: new Set() }, true);
    if (!target) continue;
    if (key === '_id' || !(target.key in target.parent)) assign(target.parent, target.key, clone(equal));
    else throw commandError('BadValue', `cannot infer query fields to set, path '${key}' is matched twice`);
  }
}

const NONE = Symbol('none');

function equalityOf(value: unknown): unknown {
  if (value instanceof RegExp || bsonTag(value) === 'BSONRegExp') return NONE;
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    if (keys.length > 0 && keys[0].startsWith('$')) {
      if (keys.length === 1 && keys[0] === '$eq') return value.$eq instanceof RegExp ? NONE : value.$eq;
      return NONE;
    }
  }
  return value;
}
