import type { Document } from 'bson';
import { commandError } from '../../errors.js';
import { compareBson, isPlainObject } from '../bson/values.js';

/** One key of a sort specification. */
interface SortKey {
  path: string[];
  direction: 1 | -1;
}

/**
 * Parses and checks a sort specification `{field: 1 | -1 | {$meta}}`; throws BadValue as
 * MongoDB does for other values. `$meta` keys are ignored (no text search here).
 */
export function parseSort(spec: unknown): SortKey[] {
  if (!isPlainObject(spec)) throw commandError('TypeMismatch', 'Expected field sort to be of type object');
  const keys: SortKey[] = [];
  for (const [field, value] of Object.entries(spec)) {
    if (isPlainObject(value) && '$meta' in value) continue;
    const n = typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : Number.NaN;
    if (n !== 1 && n !== -1) {
      throw commandError('BadValue', `$sort key ordering must be 1 (for ascending) or -1 (for descending)`);
    }
    keys.push({ path: field.split('.'), direction: n });
  }
  return keys;
}

/** Every value a path reaches (arrays are traversed and their elements expanded). */
function collect(value: unknown, path: string[], at: number, out: unknown[]): void {
  if (at === path.length) {
    if (Array.isArray(value)) {
      if (value.length === 0) out.push(undefined);
      else out.push(...value);
    } else {
      out.push(value);
    }
    return;
  }
  if (Array.isArray(value)) {
    const index = /^\d+$/.test(path[at]) ? Number(path[at]) : -1;
    if (index >= 0 && index < value.length) collect(value[index], path, at + 1, out);
    for (const element of value) if (isPlainObject(element)) collect(element, path, at, out);
    return;
  }
  if (isPlainObject(value)) {
    collect(value[path[at]], path, at + 1, out);
    return;
  }
  out.push(undefined);
}

/** Every value `path` reaches in `doc`, arrays expanded (distinct's view of a field). */
export function valuesAtPath(doc: Document, path: string): unknown[] {
  const out: unknown[] = [];
  collect(doc, path.split('.'), 0, out);
  return out;
}

/**
 * The value a document sorts by for one key: for arrays, the smallest element when
 * ascending and the largest when descending (MongoDB's multikey sort rule).
 */
function sortValue(doc: Document, key: SortKey): unknown {
  const values: unknown[] = [];
  collect(doc, key.path, 0, values);
  let best = values[0];
  for (let i = 1; i < values.length; i++) {
    const order = compareBson(values[i], best);
    if (key.direction === 1 ? order < 0 : order > 0) best = values[i];
  }
  return best;
}

/** Sorts documents by a MongoDB sort specification (stable; input order breaks ties). */
export function sortDocuments<T extends Document>(docs: T[], spec: unknown): T[] {
  return sortBy(docs, (d) => d, spec);
}

/** Sorts items by the document `view` returns for each, with MongoDB ordering. */
export function sortBy<T>(items: T[], view: (item: T) => Document, spec: unknown): T[] {
  const keys = parseSort(spec);
  if (keys.length === 0) return items;
  // Sort values are computed once per item rather than once per comparison.
  const decorated = items.map((item, index) => ({ item, index, values: keys.map((k) => sortValue(view(item), k)) }));
  decorated.sort((x, y) => {
    for (let i = 0; i < keys.length; i++) {
      const order = compareBson(x.values[i], y.values[i]);
      if (order !== 0) return order * keys[i].direction;
    }
    return x.index - y.index;
  });
  return decorated.map((d) => d.item);
}
