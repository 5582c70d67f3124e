import type { Document } from 'bson';
import { commandError } from '../../errors.js';
import { locationError as error } from '../locationError.js';
import { isPlainObject, promote } from '../bson/values.js';
import { compileFilter, runPipeline } from './matcher.js';
import { positionalIndex } from './positional.js';

type Leaf =
  | { kind: 'include' }
  | { kind: 'exclude' }
  | { kind: 'slice'; skip: number; limit?: number }
  | { kind: 'elemMatch'; test: (doc: Document) => boolean }
  | { kind: 'positional' };
interface Node {
  leaf?: Leaf;
  children: Map<string, Node>;
}

/** A compiled find projection: applied to typed documents so numeric types survive. */
export interface Projection {
  apply(doc: Document, filter?: Document): Document;
}

function parseLeaf(path: string, value: unknown): Leaf | 'expression' {
  if (typeof value === 'number' || typeof value === 'boolean') {
    if (path.endsWith('.$')) return { kind: 'positional' };
    return value ? { kind: 'include' } : { kind: 'exclude' };
  }
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === '$slice') {
      const arg = value.$slice;
      if (typeof arg === 'number') return arg >= 0 ? { kind: 'slice', skip: 0, limit: arg } : { kind: 'slice', skip: arg };
      if (Array.isArray(arg) && arg.length === 2 && typeof arg[0] === 'number' && typeof arg[1] === 'number') {
        if (arg[1] <= 0) throw error(28724, 'First argument to $slice must be an array, second argument must be a positive number');
        return { kind: 'slice', skip: arg[0], limit: arg[1] };
      }
      throw error(28667, 'Invalid $slice syntax. The given syntax did not match the find() syntax');
    }
    if (keys.length === 1 && keys[0] === '$elemMatch') {
      const test = compileFilter({ e: { $elemMatch: value.$elemMatch } });
      return { kind: 'elemMatch', test: (element) => test({ e: [element] }) };
    }
    if (keys.length === 1 && keys[0] === '$meta') return { kind: 'include' };
  }
  return 'expression';
}

/**
 * Compiles a find projection. Inclusion, exclusion, `$slice`, `$elemMatch` and positional
 * `.$` run here on typed documents; projections with aggregation expressions fall back to
 * mingo's `$project` over the promoted document. Throws for mixed inclusion/exclusion.
 */
export function compileProjection(spec: Document | undefined): Projection | undefined {
  if (!spec || Object.keys(spec).length === 0) return undefined;
  const root: Node = { children: new Map() };
  let inclusion: boolean | undefined;
  let excludeId = false;
  for (const [path, value] of Object.entries(spec)) {
    const leaf = parseLeaf(path, value);
    if (leaf === 'expression') return expressionProjection(spec);
    if (path === '_id' && (leaf.kind === 'include' || leaf.kind === 'exclude')) {
      excludeId = leaf.kind === 'exclude';
      if (!excludeId) addLeaf(root, ['_id'], leaf);
      continue;
    }
    if (leaf.kind === 'include' || leaf.kind === 'exclude' || leaf.kind === 'positional' || leaf.kind === 'elemMatch') {
      const wantsInclusion = leaf.kind !== 'exclude';
      if (inclusion !== undefined && inclusion !== wantsInclusion) {
        throw wantsInclusion
          ? error(31253, `Cannot do inclusion on field ${path} in exclusion projection`)
          : error(31254, `Cannot do exclusion on field ${path} in inclusion projection`);
      }
      inclusion = wantsInclusion;
    }
    addLeaf(root, (leaf.kind === 'positional' ? path.slice(0, -2) : path).split('.'), leaf);
  }
  const mode = inclusion ?? false;
  if (excludeId) addLeaf(root, ['_id'], { kind: 'exclude' });
  else if (mode && !root.children.has('_id')) addLeaf(root, ['_id'], { kind: 'include' });
  return { apply: (doc, filter) => project(doc, root, mode, '', filter) as Document };
}

function addLeaf(root: Node, parts: string[], leaf: Leaf): void {
  let node = root;
  for (const part of parts) {
    let child = node.children.get(part);
    if (!child) {
      child = { children: new Map() };
      node.children.set(part, child);
    }
    node = child;
  }
  node.leaf = leaf;
}

function project(value: Document, node: Node, inclusion: boolean, prefix: string, filter: Document | undefined): Document {
  const out: Document = {};
  for (const key of Object.keys(value)) {
    const child = node.children.get(key);
    const v = value[key];
    if (!child) {
      if (!inclusion) out[key] = v;
      continue;
    }
    const path = prefix ? `${prefix}.${key}` : key;
    if (child.leaf) {
      const result = applyLeaf(v, child.leaf, path, filter);
      if (result !== undefined) out[key] = result;
    } else if (isPlainObject(v)) {
      out[key] = project(v, child, inclusion, path, filter);
    } else if (Array.isArray(v)) {
      out[key] = v.filter((e) => !inclusion || isPlainObject(e)).map((e) => (isPlainObject(e) ? project(e, child, inclusion, path, filter) : e));
    } else if (!inclusion) {
      out[key] = v;
    }
  }
  return out;
}

function applyLeaf(value: unknown, leaf: Leaf, path: string, filter: Document | undefined): unknown {
  switch (leaf.kind) {
    case 'include':
      return value;
    case 'exclude':
      return undefined;
    case 'slice': {
      if (!Array.isArray(value)) return value;
      const start = leaf.skip < 0 ? Math.max(0, value.length + leaf.skip) : Math.min(leaf.skip, value.length);
      return leaf.limit === undefined ? value.slice(start) : value.slice(start, start + leaf.limit);
    }
    case 'elemMatch': {
      if (!Array.isArray(value)) return undefined;
      const found = value.find((e) => leaf.test(promote(e) as Document));
      return found === undefined ? undefined : [found];
    }
    case 'positional': {
      if (!Array.isArray(value)) return value;
      const index = positionalIndex(filter, path, value);
      if (index < 0) throw commandError('BadValue', 'Executor error during find command :: caused by :: positional operator \'.$\' couldn\'t find a matching element in the array');
      return [value[index]];
    }
  }
}

function expressionProjection(spec: Document): Projection {
  return {
    apply: (doc) => {
      const [out] = runPipeline([promote(doc) as Document], [{ $project: spec }], {});
      return out ?? {};
    },
  };
}
