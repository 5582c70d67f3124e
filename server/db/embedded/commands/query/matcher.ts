import type { Document } from 'bson';
import { Aggregator, Context, Query } from 'mingo';
import { Lazy, type Iterator } from 'mingo/lazy';
import type { Options } from 'mingo/types';
import { flatten, resolve } from 'mingo/util';
import { commandError } from '../../errors.js';
import { Bracket, bracketOf, bsonEquals, bsonTag, compareBson } from '../bson/values.js';
import { sortDocuments } from './sort.js';

/*
 * mingo compares bson class instances by constructor and toString(), which orders Long and
 * Decimal128 as strings, never equates NumberLong(5) with 5 and does not know `$type:
 * "objectId"`. The comparison, membership and type operators are therefore replaced by
 * BSON-aware ones (mingo keeps path resolution and everything else), and so is `$sort`.
 */

type Predicate = (doc: unknown) => boolean;
const RESOLVE = { unwrapArray: true };

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

function comparison(test: (order: number) => boolean) {
  return (selector: string, value: unknown): Predicate => {
    const bracket = bracketOf(value);
    return (doc) => {
      const lhs = resolve(doc as object, selector, RESOLVE);
      const candidates = Array.isArray(lhs) ? [...lhs, lhs] : [lhs];
      return candidates.some((c) => bracketOf(c) === bracket && test(compareBson(c, value)));
    };
  };
}

function asArray(op: string, value: unknown): unknown[] {
  if (!Array.isArray(value)) throw commandError('BadValue', `${op} needs an array`);
  return value;
}

const TYPE_ALIASES: Record<string, (v: unknown) => boolean> = {
  double: (v) => (typeof v === 'number' && !isInt32(v)) || bsonTag(v) === 'Double',
  string: (v) => typeof v === 'string',
  object: (v) => bracketOf(v) === Bracket.Object,
  array: (v) => Array.isArray(v),
  binData: (v) => bracketOf(v) === Bracket.Binary,
  undefined: () => false,
  objectId: (v) => bsonTag(v) === 'ObjectId',
  bool: (v) => typeof v === 'boolean',
  date: (v) => v instanceof Date,
  null: (v) => v === null,
  regex: (v) => bracketOf(v) === Bracket.RegExp,
  javascript: (v) => bsonTag(v) === 'Code',
  int: (v) => isInt32(v) || bsonTag(v) === 'Int32',
  timestamp: (v) => bsonTag(v) === 'Timestamp',
  long: (v) => bsonTag(v) === 'Long',
  decimal: (v) => bsonTag(v) === 'Decimal128',
  minKey: (v) => bsonTag(v) === 'MinKey',
  maxKey: (v) => bsonTag(v) === 'MaxKey',
  number: (v) => bracketOf(v) === Bracket.Number,
};
const TYPE_CODES: Record<number, string> = {
  1: 'double', 2: 'string', 3: 'object', 4: 'array', 5: 'binData', 6: 'undefined', 7: 'objectId', 8: 'bool', 9: 'date',
  10: 'null', 11: 'regex', 13: 'javascript', 16: 'int', 17: 'timestamp', 18: 'long', 19: 'decimal', [-1]: 'minKey', 127: 'maxKey',
};

function isInt32(v: unknown): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= -0x80000000 && v <= 0x7fffffff;
}

function typeTest(spec: unknown): (v: unknown) => boolean {
  const name = typeof spec === 'number' ? TYPE_CODES[spec] : String(spec);
  const test = name ? TYPE_ALIASES[name] : undefined;
  if (!test) {
    if (typeof spec === 'number') throw commandError('BadValue', `Invalid numerical type code: ${spec}`);
    throw commandError('BadValue', `Unknown type name alias: ${String(spec)}`);
  }
  return test;
}

const QUERY_OPERATORS = {
  $eq: (selector: string, value: unknown): Predicate => {
    const depth = depthOf(selector);
    return (doc) => eqMatches(resolve(doc as object, selector, RESOLVE), value, depth);
  },
  $ne: (selector: string, value: unknown): Predicate => {
    const depth = depthOf(selector);
    return (doc) => !eqMatches(resolve(doc as object, selector, RESOLVE), value, depth);
  },
  $in: (selector: string, value: unknown): Predicate => {
    const values = asArray('$in', value);
    const depth = depthOf(selector);
    return (doc) => inMatches(resolve(doc as object, selector, RESOLVE), values, depth);
  },
  $nin: (selector: string, value: unknown): Predicate => {
    const values = asArray('$nin', value);
    const depth = depthOf(selector);
    return (doc) => !inMatches(resolve(doc as object, selector, RESOLVE), values, depth);
  },
  $gt: comparison((o) => o > 0),
  $gte: comparison((o) => o >= 0),
  $lt: comparison((o) => o < 0),
  $lte: comparison((o) => o <= 0),
  $type: (selector: string, value: unknown): Predicate => {
    const tests = (Array.isArray(value) ? value : [value]).map(typeTest);
    return (doc) => {
      const lhs = resolve(doc as object, selector, RESOLVE);
      if (lhs === undefined) return false;
      const candidates = Array.isArray(lhs) ? [lhs, ...lhs] : [lhs];
      return candidates.some((c) => tests.some((t) => t(c)));
    };
  },
};

const PIPELINE_OPERATORS = {
  $sort: (collection: Iterator, spec: Document): Iterator => Lazy(sortDocuments(collection.collect() as Document[], spec)),
};

/** Options for mingo with the BSON-aware operators; `variables` carries a command's `let`. */
export function mingoOptions(extra: Partial<Options> = {}): Partial<Options> {
  const context = Context.init({ query: QUERY_OPERATORS as never, pipeline: PIPELINE_OPERATORS as never });
  return { ...extra, context };
}

/**
 * Compiles a query filter into a predicate over promoted documents. Throws BadValue for a
 * filter mingo cannot compile (unknown operator, bad argument).
 */
export function compileFilter(filter: Document | undefined, variables?: Document): (doc: Document) => boolean {
  if (!filter || Object.keys(filter).length === 0) return () => true;
  let query: Query;
  try {
    query = new Query(filter, mingoOptions({ variables }));
  } catch (err) {
    throw asCommandError(err);
  }
  return (doc) => {
    try {
      return query.test(doc);
    } catch (err) {
      throw asCommandError(err);
    }
  };
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
