import { BSON, type Document } from 'bson';
import { resolve } from 'mingo/util';
import { commandError } from '../../errors.js';
import { Bracket, bracketOf, bsonTag } from '../bson/values.js';

/**
 * The document a filter is being tested against, so `$type` can read the stored bytes:
 * promoted values lose the difference between int32 1, int64 1 and double 1.0.
 */
export interface TypedRoot {
  plain?: Document;
  raw?: Buffer;
  typed?: Document;
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

/**
 * `$type` for BSON type names and numbers. At the top level of a stored document the typed
 * reading decides numeric types; elsewhere (e.g. inside $elemMatch) promoted values are
 * classified by value (integers in int32 range count as int).
 */
export function typeOperator(root: TypedRoot) {
  return (selector: string, value: unknown) => {
    const tests = (Array.isArray(value) ? value : [value]).map(typeTest);
    return (doc: unknown): boolean => {
      let source = doc as Document;
      if (root.raw && doc === root.plain) {
        root.typed ??= BSON.deserialize(root.raw, { promoteValues: false });
        source = root.typed;
      }
      const lhs = resolve(source, selector, { unwrapArray: true });
      if (lhs === undefined) return false;
      const candidates = Array.isArray(lhs) ? [lhs, ...lhs] : [lhs];
      return candidates.some((c) => tests.some((t) => t(c)));
    };
  };
}
