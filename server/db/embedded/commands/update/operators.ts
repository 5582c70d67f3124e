import { Timestamp, type Document } from 'bson';
import { commandError } from '../../errors.js';
import { renderId, renderValue } from '../bson/render.js';
import { bsonEquals, compareBson, isPlainObject, promote, typeAlias } from '../bson/values.js';
import { compileFilter } from '../query/matcher.js';
import { sortBy } from '../query/sort.js';
import { arithmetic, bitwise, numericKind, NumericOverflow, zeroLike } from './arithmetic.js';
import { assign, read, remove, resolveTargets, type PathContext, type Target } from './paths.js';

/** Context an update operator runs in. */
export interface OperatorContext extends PathContext {
  /** Time used by $currentDate (one value for the whole command). */
  now: Date;
}

/** An update operator applied to one field path of a typed document. */
export type UpdateOperator = (doc: Document, path: string, operand: unknown, ctx: OperatorContext) => void;

function targets(doc: Document, path: string, ctx: OperatorContext, create = true): Target[] {
  return resolveTargets(doc, path, ctx, create);
}

function arithmeticOp(name: '$inc' | '$mul', op: 'add' | 'multiply', verb: string): UpdateOperator {
  return (doc, path, operand, ctx) => {
    if (numericKind(operand) === undefined) {
      throw commandError('TypeMismatch', `Cannot ${verb} with non-numeric argument: {${path}: ${renderValue(operand)}}`);
    }
    for (const t of targets(doc, path, ctx)) {
      const current = read(t.parent, t.key);
      if (current !== undefined && numericKind(current) === undefined) {
        throw commandError(
          'TypeMismatch',
          `Cannot apply ${name} to a value of non-numeric type. ${renderId(doc)} has the field '${t.key}' of non-numeric type ${typeAlias(current)}`,
        );
      }
      try {
        // A missing field counts as a zero of the operand's type: $inc stores the operand, $mul a zero.
        assign(t.parent, t.key, arithmetic(op, current ?? zeroLike(operand), operand));
      } catch (err) {
        if (!(err instanceof NumericOverflow)) throw err;
        throw commandError('BadValue', `Failed to apply ${name} operations to current value (${renderValue(current)}) for document ${renderId(doc)}`);
      }
    }
  };
}

function arrayAt(doc: Document, t: Target, op: string): unknown[] | undefined {
  const current = read(t.parent, t.key);
  if (current === undefined) return undefined;
  if (!Array.isArray(current)) {
    throw commandError('BadValue', `The field '${t.path}' must be an array but is of type ${typeAlias(current)} in document ${renderId(doc)}`, {
      op,
    });
  }
  return current;
}

function pullMatcher(condition: unknown): (element: unknown) => boolean {
  if (condition instanceof RegExp) return (e) => typeof e === 'string' && condition.test(e);
  if (isPlainObject(condition)) {
    const keys = Object.keys(condition);
    if (keys.length > 0 && keys.every((k) => k.startsWith('$'))) {
      const test = compileFilter({ v: promote(condition) as Document });
      return (e) => test({ v: promote(e) });
    }
    const test = compileFilter(promote(condition) as Document);
    return (e) => isPlainObject(e) && test(promote(e) as Document);
  }
  return (e) => bsonEquals(e, condition);
}

function pushArgs(operand: unknown): { values: unknown[]; position?: number; slice?: number; sort?: unknown } {
  if (!isPlainObject(operand) || !('$each' in operand)) return { values: [operand] };
  const each = operand.$each;
  if (!Array.isArray(each)) throw commandError('BadValue', `The argument to $each in $push must be an array but it was of type: ${typeAlias(each)}`);
  const num = (v: unknown, what: string): number | undefined => {
    if (v === undefined) return undefined;
    const n = typeof v === 'number' ? v : Number(promote(v));
    if (!Number.isInteger(n)) throw commandError('BadValue', `The value for ${what} must be an integer value but was given type: ${typeAlias(v)}`);
    return n;
  };
  return { values: each, position: num(operand.$position, '$position'), slice: num(operand.$slice, '$slice'), sort: operand.$sort };
}

function sortArray(values: unknown[], spec: unknown): unknown[] {
  const direction = typeof promote(spec) === 'number' ? (promote(spec) as number) : undefined;
  if (direction === 1 || direction === -1) {
    return sortBy(values, (v) => ({ v: promote(v) }), { v: direction });
  }
  if (!isPlainObject(spec)) throw commandError('BadValue', 'The $sort is invalid: use 1/-1 to sort the whole element, or {field:1/-1} to sort embedded fields');
  return sortBy(values, (v) => (isPlainObject(v) ? (promote(v) as Document) : {}), promote(spec));
}

/** The update operators MongoDB 7.0 supports, on typed documents. */
export const UPDATE_OPERATORS: Record<string, UpdateOperator> = {
  $set: (doc, path, operand, ctx) => {
    for (const t of targets(doc, path, ctx)) assign(t.parent, t.key, clone(operand));
  },
  $setOnInsert: () => {
    // Applied as $set by the caller when the update inserts (upsert); ignored otherwise.
  },
  $unset: (doc, path, _operand, ctx) => {
    for (const t of targets(doc, path, ctx, false)) remove(t.parent, t.key);
  },
  $inc: arithmeticOp('$inc', 'add', 'increment'),
  $mul: arithmeticOp('$mul', 'multiply', 'multiply'),
  $min: (doc, path, operand, ctx) => {
    for (const t of targets(doc, path, ctx)) {
      const current = read(t.parent, t.key);
      if (current === undefined || compareBson(operand, current) < 0) assign(t.parent, t.key, clone(operand));
    }
  },
  $max: (doc, path, operand, ctx) => {
    for (const t of targets(doc, path, ctx)) {
      const current = read(t.parent, t.key);
      if (current === undefined || compareBson(operand, current) > 0) assign(t.parent, t.key, clone(operand));
    }
  },
  $currentDate: (doc, path, operand, ctx) => {
    const wantsTimestamp = isPlainObject(operand) && operand.$type === 'timestamp';
    if (isPlainObject(operand) && operand.$type !== 'date' && operand.$type !== 'timestamp') {
      throw commandError('BadValue', "The '$type' string field is required to be 'date' or 'timestamp': {$currentDate: {field : {$type: 'date'}}}");
    }
    const value = wantsTimestamp ? new Timestamp({ t: Math.floor(ctx.now.getTime() / 1000), i: 1 }) : new Date(ctx.now.getTime());
    for (const t of targets(doc, path, ctx)) assign(t.parent, t.key, value);
  },
  $push: (doc, path, operand, ctx) => {
    const args = pushArgs(operand);
    for (const t of targets(doc, path, ctx)) {
      let array = arrayAt(doc, t, '$push') ?? [];
      const values = args.values.map(clone);
      if (args.position === undefined) array.push(...values);
      else {
        const at = args.position < 0 ? Math.max(0, array.length + args.position) : Math.min(args.position, array.length);
        array.splice(at, 0, ...values);
      }
      if (args.sort !== undefined) array = sortArray(array, args.sort);
      if (args.slice !== undefined) array = args.slice >= 0 ? array.slice(0, args.slice) : array.slice(Math.max(0, array.length + args.slice));
      assign(t.parent, t.key, array);
    }
  },
  $addToSet: (doc, path, operand, ctx) => {
    const values = isPlainObject(operand) && '$each' in operand ? operand.$each : [operand];
    if (!Array.isArray(values)) throw commandError('TypeMismatch', `The argument to $each in $addToSet must be an array but it was of type ${typeAlias(values)}`);
    for (const t of targets(doc, path, ctx)) {
      const current = read(t.parent, t.key);
      if (current !== undefined && !Array.isArray(current)) {
        throw commandError('BadValue', `Cannot apply $addToSet to non-array field. Field named '${t.key}' has non-array type ${typeAlias(current)}`);
      }
      const array = (current as unknown[] | undefined) ?? [];
      for (const value of values) if (!array.some((e) => bsonEquals(e, value))) array.push(clone(value));
      assign(t.parent, t.key, array);
    }
  },
  $pop: (doc, path, operand, ctx) => {
    const direction = promote(operand);
    if (direction !== 1 && direction !== -1) throw commandError('FailedToParse', `$pop expects 1 or -1, found: ${renderValue(operand)}`);
    for (const t of targets(doc, path, ctx, false)) {
      const current = read(t.parent, t.key);
      if (current === undefined) continue;
      if (!Array.isArray(current)) throw commandError('TypeMismatch', `Path '${t.path}' contains an element of non-array type '${typeAlias(current)}'`);
      if (direction === 1) current.pop();
      else current.shift();
    }
  },
  $pull: (doc, path, operand, ctx) => {
    const matches = pullMatcher(operand);
    for (const t of targets(doc, path, ctx, false)) {
      const current = read(t.parent, t.key);
      if (current === undefined) continue;
      if (!Array.isArray(current)) throw commandError('BadValue', 'Cannot apply $pull to a non-array value');
      assign(t.parent, t.key, current.filter((e) => !matches(e)));
    }
  },
  $pullAll: (doc, path, operand, ctx) => {
    if (!Array.isArray(operand)) throw commandError('BadValue', `$pullAll requires an array argument but was given a ${typeAlias(operand)}`);
    for (const t of targets(doc, path, ctx, false)) {
      const current = read(t.parent, t.key);
      if (current === undefined) continue;
      if (!Array.isArray(current)) throw commandError('BadValue', 'Cannot apply $pull to a non-array value');
      assign(t.parent, t.key, current.filter((e) => !operand.some((v) => bsonEquals(e, v))));
    }
  },
  $bit: (doc, path, operand, ctx) => {
    if (!isPlainObject(operand)) throw commandError('BadValue', `The $bit modifier is not compatible with a ${typeAlias(operand)}. You must pass in an embedded document: {$bit: {field: {and/or/xor: #}}`);
    for (const t of targets(doc, path, ctx)) {
      let current: unknown = read(t.parent, t.key) ?? 0;
      const kind = numericKind(current);
      if (kind !== 'int' && kind !== 'long') {
        throw commandError('BadValue', `Cannot apply $bit to a value of non-integral type.${renderId(doc)} has the field ${t.key} of non-integer type ${typeAlias(current)}`);
      }
      for (const [op, value] of Object.entries(operand)) {
        if (op !== 'and' && op !== 'or' && op !== 'xor') throw commandError('BadValue', `The $bit modifier only supports 'and', 'or', and 'xor', not '${op}'`);
        const k = numericKind(value);
        if (k !== 'int' && k !== 'long') throw commandError('BadValue', `The $bit modifier field must be an Integer(32/64 bit); a '${typeAlias(value)}' is not supported here`);
        current = bitwise(op, current, value);
      }
      assign(t.parent, t.key, current);
    }
  },
  $rename: (doc, path, operand, ctx) => {
    if (typeof operand !== 'string') throw commandError('BadValue', `The 'to' field for $rename must be a string: ${path}: ${renderValue(operand)}`);
    if (operand === path) throw commandError('BadValue', `The source and target field for $rename must differ: ${path}: "${operand}"`);
    if (operand.startsWith(`${path}.`) || path.startsWith(`${operand}.`)) {
      throw commandError('BadValue', `The source and target field for $rename must not be on the same path: ${path}: "${operand}"`);
    }
    if (/(^|\.)\$/.test(path) || /(^|\.)\$/.test(operand)) throw commandError('BadValue', 'The source field for $rename may not be dynamic');
    const sources = targets(doc, path, ctx, false).filter((t) => !Array.isArray(t.parent));
    if (sources.length === 0 || read(sources[0].parent, sources[0].key) === undefined) return;
    const value = read(sources[0].parent, sources[0].key);
    remove(sources[0].parent, sources[0].key);
    for (const t of targets(doc, operand, ctx)) {
      if (Array.isArray(t.parent)) throw commandError('BadValue', `The destination field cannot be an array element, '${operand}' in doc with ${renderId(doc)}`);
      assign(t.parent, t.key, value);
    }
  },
};

/** Deep copy of a typed value so stored documents never share mutable parts with a command. */
export function clone<T>(value: T): T {
  if (Array.isArray(value)) return value.map(clone) as T;
  if (isPlainObject(value)) {
    const out: Document = {};
    for (const key of Object.keys(value)) out[key] = clone(value[key]);
    return out as T;
  }
  return value;
}
