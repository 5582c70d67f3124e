import type { Document } from 'bson';
import { Context } from 'mingo';
import { Aggregator } from 'mingo/aggregator';
import { Lazy, type Iterator } from 'mingo/lazy';
import * as accumulatorOperators from 'mingo/operators/accumulator';
import * as expressionOperators from 'mingo/operators/expression';
import * as pipelineOperators from 'mingo/operators/pipeline';
import * as projectionOperators from 'mingo/operators/projection';
import * as queryOperators from 'mingo/operators/query';
import * as windowOperators from 'mingo/operators/window';
import { Query } from 'mingo/query';
import type { Options } from 'mingo/types';
import { flatten, resolve } from 'mingo/util';
import { commandError } from '../../errors.js';
import { encodeKey } from '../../storage/indexKey.js';
import { bracketOf, bsonEquals, compareBson, isPlainObject } from '../bson/values.js';
import { sortDocuments } from './sort.js';
import { typeOperator, type TypedRoot } from './typeOperator.js';

/*
 * mingo compares bson class instances by constructor and toString(), which orders Long and
 * Decimal128 as strings, never equates NumberLong(5) with 5 and does not know `$type:
 * "objectId"`. The comparison, membership and type operators are therefore replaced by
 * BSON-aware ones (mingo keeps path resolution and everything else), and so is `$sort`.
 */

type Predicate = (doc: unknown) => boolean;
const RESOLVE = { unwrapArray: true };

function at(doc: unknown, selector: string): unknown {
  return resolve(doc as Document, selector, RESOLVE);
}

function depthOf(selector: string): number {
  let depth = 0;
  for (const c of selector) if (c === '.') depth++;
  return depth;
}

function eqMatches(lhs: unknown, rhs: unknown, depth: number): boolean {
  if (bsonEquals(lhs, rhs)) return true;
  if (!Array.isArray(lhs)) return false;
  if (lhs.some((v) => bsonEquals(v, rhs))) return true;
  return depth > 0 && flatten(lhs, depth).some((v: unknown) => bsonEquals(v, rhs));
}

function inMatches(lhs: unknown, values: unknown[], depth: number): boolean {
  for (const value of values) {
    if (value instanceof RegExp) {
      const candidates = Array.isArray(lhs) ? lhs : [lhs];
      if (candidates.some((c) => typeof c === 'string' && value.test(c))) return true;
    } else if (eqMatches(lhs, value, depth)) {
      return true;
    }
  }
  return false;
}

/** Below this many values a linear scan is as fast as building the key set. */
const KEYED_MEMBERSHIP_MIN = 8;

const KEYED_BSON_TYPES = new Set(['ObjectId', 'Int32', 'Double', 'Long', 'Decimal128']);

/** Scalars whose canonical key (the one indexes use) decides BSON equality exactly. */
function keyable(value: unknown): boolean {
  switch (typeof value) {
    case 'number':
    case 'string':
    case 'boolean':
    case 'bigint':
      return true;
    case 'object':
      return value instanceof Date || (value !== null && KEYED_BSON_TYPES.has((value as { _bsontype?: string })._bsontype ?? ''));
    default:
      return false;
  }
}

/**
 * `$in` membership. A long list of scalars is looked up by canonical key instead of compared one by
 * one: compaction deletes a report's stored batches by `_id: {$in: [...]}`, and with thousands of
 * ids the linear test made that delete quadratic (the 260k-update bench spent a second in it).
 * Arrays, documents, null and regexes keep the general path, which knows their special rules.
 */
function membership(values: unknown[], depth: number): (lhs: unknown) => boolean {
  if (values.length < KEYED_MEMBERSHIP_MIN) return (lhs) => inMatches(lhs, values, depth);
  const keys = new Set<string>();
  const rest: unknown[] = [];
  for (const value of values) {
    if (keyable(value)) keys.add(encodeKey(value));
    else rest.push(value);
  }
  return (lhs) => {
    if (keyable(lhs)) {
      if (keys.has(encodeKey(lhs))) return true;
      // A scalar equals no array, document or null; only a regex (matching a string) is left.
      return rest.length > 0 && inMatches(lhs, rest, depth);
    }
    return inMatches(lhs, values, depth);
  };
}

function comparison(test: (order: number) => boolean) {
  return (selector: string, value: unknown): Predicate => {
    const bracket = bracketOf(value);
    return (doc) => {
      const lhs = at(doc, selector);
      const candidates = Array.isArray(lhs) ? [...lhs, lhs] : [lhs];
      return candidates.some((c) => bracketOf(c) === bracket && test(compareBson(c, value)));
    };
  };
}

function asArray(op: string, value: unknown): unknown[] {
  if (!Array.isArray(value)) throw commandError('BadValue', `${op} needs an array`);
  return value;
}

const QUERY_OPERATORS = {
  $eq: (selector: string, value: unknown): Predicate => {
    const depth = depthOf(selector);
    return (doc) => eqMatches(at(doc, selector), value, depth);
  },
  $ne: (selector: string, value: unknown): Predicate => {
    const depth = depthOf(selector);
    return (doc) => !eqMatches(at(doc, selector), value, depth);
  },
  $in: (selector: string, value: unknown): Predicate => {
    const test = membership(asArray('$in', value), depthOf(selector));
    return (doc) => test(at(doc, selector));
  },
  $nin: (selector: string, value: unknown): Predicate => {
    const test = membership(asArray('$nin', value), depthOf(selector));
    return (doc) => !test(at(doc, selector));
  },
  $gt: comparison((o) => o > 0),
  $gte: comparison((o) => o >= 0),
  $lt: comparison((o) => o < 0),
  $lte: comparison((o) => o <= 0),
  $type: typeOperator({}),
};

const PIPELINE_OPERATORS = {
  $sort: (collection: Iterator, spec: Document): Iterator => Lazy(sortDocuments(collection.collect() as Document[], spec)),
};

// mingo's Context.from keeps the first definition of an operator, so ours come first. The
// base Query/Aggregator classes are used because mingo's index wrappers put its defaults first.
const CONTEXT = Context.from(
  Context.init({ query: QUERY_OPERATORS as never, pipeline: PIPELINE_OPERATORS as never }),
  Context.init({
    accumulator: accumulatorOperators as never,
    expression: expressionOperators as never,
    pipeline: pipelineOperators as never,
    projection: projectionOperators as never,
    query: queryOperators as never,
    window: windowOperators as never,
  }),
);

/** Options for mingo with the BSON-aware operators; `variables` carries a command's `let`. */
export function mingoOptions(extra: Partial<Options> = {}): Partial<Options> {
  return { ...extra, context: CONTEXT };
}

/** A compiled filter. `raw` (the stored bytes of `doc`) lets `$type` tell int32, int64 and double apart. */
export type Matcher = (doc: Document, raw?: Buffer) => boolean;

/**
 * Compiles a query filter into a predicate over promoted documents. Throws BadValue for a
 * filter mingo cannot compile (unknown operator, bad argument).
 */
export function compileFilter(filter: Document | undefined, variables?: Document): Matcher {
  if (!filter || Object.keys(filter).length === 0) return () => true;
  const root: TypedRoot = {};
  // Only filters using $type pay for a per-query context binding it to the current document.
  const context = usesOperator(filter, '$type') ? Context.from(Context.init({ query: { $type: typeOperator(root) } as never }), CONTEXT) : CONTEXT;
  let query: Query;
  try {
    query = new Query(filter, { variables, context });
  } catch (err) {
    throw asCommandError(err);
  }
  return (doc, raw) => {
    root.plain = doc;
    root.raw = raw;
    root.typed = undefined;
    try {
      return query.test(doc);
    } catch (err) {
      throw asCommandError(err);
    }
  };
}

function usesOperator(value: unknown, operator: string): boolean {
  if (Array.isArray(value)) return value.some((v) => usesOperator(v, operator));
  if (!isPlainObject(value)) return false;
  return Object.keys(value).some((k) => k === operator || usesOperator(value[k], operator));
}

/** Runs an aggregation pipeline (already validated) over promoted documents. */
export function runPipeline(docs: Iterable<Document>, pipeline: Document[], options: Partial<Options>): Document[] {
  try {
    return new Aggregator(pipeline, mingoOptions(options)).run(Lazy(docs));
  } catch (err) {
    throw asCommandError(err);
  }
}

/** Turns mingo's plain errors into BadValue command errors; command errors pass through. */
export function asCommandError(err: unknown): Error {
  if (err instanceof Error && err.name === 'CommandError') return err;
  const message = err instanceof Error ? err.message : String(err);
  return commandError('BadValue', message.replace(/^mingo: /, ''));
}
