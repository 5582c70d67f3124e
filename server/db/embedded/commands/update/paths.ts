import type { Document } from 'bson';
import { commandError } from '../../errors.js';
import { isPlainObject, promote } from '../bson/values.js';
import { renderValue } from '../bson/render.js';
import { compileFilter } from '../query/matcher.js';
import { positionalIndex } from '../query/positional.js';

/** Where an update operator acts: `parent[key]`, reached through the concrete `path`. */
export interface Target {
  parent: Document | unknown[];
  key: string;
  path: string;
}

/** What path resolution needs to know about the update being applied. */
export interface PathContext {
  /** The query filter (promoted), for the positional `$`. */
  filter?: Document;
  /** Compiled arrayFilters by identifier. */
  arrayFilters: Map<string, (element: unknown) => boolean>;
  /** Identifiers used so far (unused arrayFilters are an error). */
  usedIdentifiers: Set<string>;
}

const IDENTIFIER = /^\$\[([a-z][a-zA-Z0-9]*)?\]$/;

/**
 * Compiles `arrayFilters` into predicates keyed by identifier. Each filter's top-level
 * fields must all name the same identifier (`x` or `x.field`). Throws FailedToParse.
 */
export function compileArrayFilters(filters: unknown): Map<string, (element: unknown) => boolean> {
  const out = new Map<string, (element: unknown) => boolean>();
  if (filters === undefined) return out;
  if (!Array.isArray(filters)) throw commandError('TypeMismatch', 'arrayFilters must be an array');
  for (const filter of filters) {
    if (!isPlainObject(filter) || Object.keys(filter).length === 0) {
      throw commandError('FailedToParse', 'Cannot use an expression without a top-level field name in arrayFilters');
    }
    const ids = new Set(Object.keys(filter).map((k) => k.split('.')[0]));
    if (ids.size !== 1) throw commandError('FailedToParse', 'Error parsing array filter :: caused by :: Expected a single top-level field name, found multiple');
    const [id] = ids;
    if (!/^[a-z][a-zA-Z0-9]*$/.test(id)) {
      throw commandError('BadValue', `Error parsing array filter :: caused by :: The top-level field name must be an alphanumeric string beginning with a lowercase letter, found '${id}'`);
    }
    if (out.has(id)) throw commandError('FailedToParse', `Found multiple array filters with the same top-level field name ${id}`);
    const test = compileFilter(filter);
    out.set(id, (element) => test({ [id]: promote(element) }));
  }
  return out;
}

/** Checks a field path's syntax; throws EmptyFieldName for `a..b` and friends. */
export function validatePath(path: string): void {
  if (path === '' || path.split('.').some((p) => p === '')) {
    throw commandError('EmptyFieldName', `The update path '${path}' contains an empty field name, which is not allowed.`);
  }
}

/**
 * Finds every place `path` designates in `doc`, expanding `$`, `$[]` and `$[id]`. With
 * `create`, missing intermediate documents are created (as $set does); without it, missing
 * branches are skipped (as $unset does). Throws PathNotViable when a path runs through a
 * scalar, and BadValue for positional problems.
 */
export function resolveTargets(doc: Document, path: string, ctx: PathContext, create: boolean): Target[] {
  const parts = path.split('.');
  const out: Target[] = [];
  walk(doc, parts, 0, '', ctx, create, out);
  return out;
}

function walk(container: Document | unknown[], parts: string[], i: number, prefix: string, ctx: PathContext, create: boolean, out: Target[]): void {
  const part = parts[i];
  const keys = keysFor(container, part, prefix, ctx, create);
  for (const key of keys) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (i === parts.length - 1) {
      out.push({ parent: container, key, path });
      continue;
    }
    let child = (container as Document)[key];
    if (child === undefined) {
      if (!create) continue;
      child = {};
      assign(container, key, child);
    } else if (child === null || typeof child !== 'object' || (!Array.isArray(child) && !isPlainObject(child))) {
      if (!create) continue;
      throw commandError('PathNotViable', `Cannot create field '${parts[i + 1]}' in element {${key}: ${renderValue(child)}}`);
    }
    walk(child as Document | unknown[], parts, i + 1, path, ctx, create, out);
  }
}

function keysFor(container: Document | unknown[], part: string, prefix: string, ctx: PathContext, create: boolean): string[] {
  const positional = part === '$' || IDENTIFIER.test(part);
  if (!Array.isArray(container)) {
    if (positional) {
      if (part === '$') throw commandError('BadValue', 'The positional operator did not find the match needed from the query.');
      throw commandError('BadValue', `Cannot apply array updates to non-array element ${prefix}: ${renderValue(container)}`);
    }
    return [part];
  }
  if (part === '$') {
    const index = positionalIndex(ctx.filter, prefix, container);
    if (index < 0) throw commandError('BadValue', 'The positional operator did not find the match needed from the query.');
    return [String(index)];
  }
  const match = IDENTIFIER.exec(part);
  if (match) {
    const id = match[1];
    if (id === undefined) return container.map((_, i) => String(i));
    const test = ctx.arrayFilters.get(id);
    if (!test) throw commandError('BadValue', `No array filter found for identifier '${id}' in path '${prefix}.${part}'`);
    ctx.usedIdentifiers.add(id);
    const keys: string[] = [];
    container.forEach((element, i) => {
      if (test(element)) keys.push(String(i));
    });
    return keys;
  }
  if (/^\d+$/.test(part)) return [String(Number(part))];
  if (!create) return [];
  throw commandError('PathNotViable', `Cannot create field '${part}' in element {${prefix}: ${renderValue(container)}}`);
}

/** Sets `container[key]`, padding an array with nulls up to the index like MongoDB does. */
export function assign(container: Document | unknown[], key: string, value: unknown): void {
  if (Array.isArray(container)) {
    const index = Number(key);
    while (container.length < index) container.push(null);
    container[index] = value;
  } else {
    container[key] = value;
  }
}

/** Removes `container[key]`: deletes a field, or nulls an array element (MongoDB keeps positions). */
export function remove(container: Document | unknown[], key: string): boolean {
  if (Array.isArray(container)) {
    const index = Number(key);
    if (index >= container.length) return false;
    container[index] = null;
    return true;
  }
  if (!(key in container)) return false;
  delete container[key];
  return true;
}

/** Reads `container[key]` (undefined when absent). */
export function read(container: Document | unknown[], key: string): unknown {
  return Array.isArray(container) ? container[Number(key)] : container[key];
}
