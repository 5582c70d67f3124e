import type { Document } from 'bson';
import { isPlainObject, promote } from '../bson/values.js';
import { compileFilter } from './matcher.js';

/** The filter clauses (flattening `$and`) that constrain `arrayPath` or a path below it. */
function clausesFor(filter: Document, arrayPath: string): Document[] {
  const out: Document[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and' && Array.isArray(value)) {
      for (const clause of value) if (isPlainObject(clause)) out.push(...clausesFor(clause, arrayPath));
    } else if (key === arrayPath || key.startsWith(`${arrayPath}.`)) {
      out.push({ [key]: value });
    }
  }
  return out;
}

/** Builds `{a: {b: value}}` for the path `a.b`. */
function nest(path: string, value: unknown): Document {
  const parts = path.split('.');
  let doc: Document = { [parts[parts.length - 1]]: value };
  for (let i = parts.length - 2; i >= 0; i--) doc = { [parts[i]]: doc };
  return doc;
}

/**
 * The index of the first element of `array` (found at `arrayPath`) that satisfies the
 * query's conditions on that array, which is what the positional `$` operator of updates
 * and projections refers to; -1 when the query does not constrain the array or none match.
 */
export function positionalIndex(filter: Document | undefined, arrayPath: string, array: unknown[]): number {
  if (!filter) return -1;
  const clauses = clausesFor(filter, arrayPath);
  if (clauses.length === 0) return -1;
  const tests = clauses.map((c) => compileFilter(c));
  for (let i = 0; i < array.length; i++) {
    // Each element is tested alone, wrapped so array-traversal semantics still apply.
    const probe = nest(arrayPath, [promote(array[i])]);
    if (tests.every((t) => t(probe))) return i;
  }
  return -1;
}
