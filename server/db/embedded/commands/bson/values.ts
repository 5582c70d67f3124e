import { Decimal128, Double, Int32, Long, type Document } from 'bson';

/**
 * BSON value helpers shared by matching, sorting and updating. Values come in two forms:
 * "promoted" (numbers as JS numbers, as `BSON.deserialize` returns by default) and "typed"
 * (`promoteValues: false`: Int32/Double/Long wrappers kept so writes round-trip exactly).
 * Every helper here accepts both.
 */

/** MongoDB's canonical sort order of types; values of different brackets never compare equal. */
export enum Bracket {
  MinKey = 0,
  Null = 1,
  Number = 2,
  String = 3,
  Object = 4,
  Array = 5,
  Binary = 6,
  ObjectId = 7,
  Boolean = 8,
  Date = 9,
  Timestamp = 10,
  RegExp = 11,
  Code = 12,
  MaxKey = 13,
}

/** The `_bsontype` tag of a bson class instance, or undefined for plain JS values. */
export function bsonTag(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const tag = (value as { _bsontype?: unknown })._bsontype;
  return typeof tag === 'string' ? tag : undefined;
}

/** True for a plain embedded document (not an array, date, regex or bson class). */
export function isPlainObject(value: unknown): value is Document {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Which bracket of the canonical order `value` falls in (undefined/missing counts as null). */
export function bracketOf(value: unknown): Bracket {
  if (value === undefined || value === null) return Bracket.Null;
  switch (typeof value) {
    case 'number':
    case 'bigint':
      return Bracket.Number;
    case 'string':
      return Bracket.String;
    case 'boolean':
      return Bracket.Boolean;
  }
  if (Array.isArray(value)) return Bracket.Array;
  if (value instanceof Date) return Bracket.Date;
  if (value instanceof RegExp) return Bracket.RegExp;
  switch (bsonTag(value)) {
    case 'Int32':
    case 'Double':
    case 'Long':
    case 'Decimal128':
      return Bracket.Number;
    case 'BSONSymbol':
      return Bracket.String;
    case 'Binary':
      return Bracket.Binary;
    case 'ObjectId':
      return Bracket.ObjectId;
    case 'Timestamp':
      return Bracket.Timestamp;
    case 'BSONRegExp':
      return Bracket.RegExp;
    case 'Code':
      return Bracket.Code;
    case 'MinKey':
      return Bracket.MinKey;
    case 'MaxKey':
      return Bracket.MaxKey;
  }
  if (value instanceof Uint8Array) return Bracket.Binary;
  return Bracket.Object;
}

/** A numeric BSON value as a JS number (Decimal128 and huge Long lose precision; used for ordering only). */
export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  switch (bsonTag(value)) {
    case 'Int32':
    case 'Double':
      return (value as Int32 | Double).value;
    case 'Long':
      return (value as Long).toNumber();
    case 'Decimal128':
      return Number((value as Decimal128).toString());
  }
  return Number.NaN;
}

function compareNumbers(a: unknown, b: unknown): number {
  if (bsonTag(a) === 'Long' && bsonTag(b) === 'Long') return (a as Long).compare(b as Long);
  const x = toNumber(a);
  const y = toNumber(b);
  // MongoDB orders NaN below every other number and equal to itself.
  if (Number.isNaN(x)) return Number.isNaN(y) ? 0 : -1;
  if (Number.isNaN(y)) return 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return a.length - b.length;
}

function sign(n: number): number {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

/** Compares two BSON values in MongoDB's order (type bracket first, then value). */
export function compareBson(a: unknown, b: unknown): number {
  const ba = bracketOf(a);
  const bb = bracketOf(b);
  if (ba !== bb) return ba < bb ? -1 : 1;
  switch (ba) {
    case Bracket.Null:
    case Bracket.MinKey:
    case Bracket.MaxKey:
      return 0;
    case Bracket.Number:
      return compareNumbers(a, b);
    case Bracket.String: {
      const x = String(a);
      const y = String(b);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case Bracket.Object:
      return compareObjects(a as Document, b as Document);
    case Bracket.Array: {
      const x = a as unknown[];
      const y = b as unknown[];
      for (let i = 0; i < Math.min(x.length, y.length); i++) {
        const c = compareBson(x[i], y[i]);
        if (c !== 0) return c;
      }
      return sign(x.length - y.length);
    }
    case Bracket.Binary:
      return compareBinary(a, b);
    case Bracket.ObjectId: {
      const x = (a as { id: Uint8Array }).id;
      const y = (b as { id: Uint8Array }).id;
      return sign(compareBytes(x, y));
    }
    case Bracket.Boolean:
      return a === b ? 0 : a ? 1 : -1;
    case Bracket.Date:
      return sign((a as Date).getTime() - (b as Date).getTime());
    case Bracket.Timestamp:
      return (a as Long).compare(b as Long);
    case Bracket.RegExp:
    case Bracket.Code: {
      const x = String(a);
      const y = String(b);
      return x < y ? -1 : x > y ? 1 : 0;
    }
  }
  return 0;
}

function compareObjects(a: Document, b: Document): number {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
    const c = compareBson(a[ka[i]], b[kb[i]]);
    const typeOrder = bracketOf(a[ka[i]]) - bracketOf(b[kb[i]]);
    if (typeOrder !== 0) return sign(typeOrder);
    if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
    if (c !== 0) return c;
  }
  return sign(ka.length - kb.length);
}

function compareBinary(a: unknown, b: unknown): number {
  const bytes = (v: unknown): Uint8Array => (v instanceof Uint8Array ? v : (v as { buffer: Uint8Array }).buffer);
  const subtype = (v: unknown): number => (v instanceof Uint8Array ? 0 : (v as { sub_type: number }).sub_type);
  const x = bytes(a);
  const y = bytes(b);
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  if (subtype(a) !== subtype(b)) return subtype(a) < subtype(b) ? -1 : 1;
  return sign(compareBytes(x, y));
}

/** BSON equality as queries see it: 1, 1.0 and NumberLong(1) are equal; documents compare field by field in order. */
export function bsonEquals(a: unknown, b: unknown): boolean {
  return bracketOf(a) === bracketOf(b) && compareBson(a, b) === 0;
}

/** Converts a typed value (Int32/Double/Long wrappers) into its promoted form, deeply. */
export function promote(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(promote);
  switch (bsonTag(value)) {
    case 'Int32':
    case 'Double':
      return (value as Int32 | Double).value;
    case 'Long': {
      const long = value as Long;
      return long.lessThanOrEqual(Long.fromNumber(Number.MAX_SAFE_INTEGER)) && long.greaterThanOrEqual(Long.fromNumber(Number.MIN_SAFE_INTEGER))
        ? long.toNumber()
        : long;
    }
  }
  if (!isPlainObject(value)) return value;
  const out: Document = {};
  for (const key of Object.keys(value)) out[key] = promote(value[key]);
  return out;
}

/** The BSON type alias MongoDB prints in messages (`int`, `string`, `objectId`, ...). */
export function typeAlias(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  switch (typeof value) {
    case 'number':
      return Number.isInteger(value) && Math.abs(value) <= 0x7fffffff ? 'int' : 'double';
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
  }
  if (Array.isArray(value)) return 'array';
  if (value instanceof Date) return 'date';
  if (value instanceof RegExp) return 'regex';
  const tag = bsonTag(value);
  const aliases: Record<string, string> = {
    Int32: 'int', Double: 'double', Long: 'long', Decimal128: 'decimal', ObjectId: 'objectId', Binary: 'binData',
    Timestamp: 'timestamp', BSONRegExp: 'regex', MinKey: 'minKey', MaxKey: 'maxKey', Code: 'javascript', BSONSymbol: 'symbol',
  };
  return (tag && aliases[tag]) || 'object';
}

/** True when `value` is any numeric BSON value. */
export function isNumeric(value: unknown): boolean {
  return bracketOf(value) === Bracket.Number;
}

export { Decimal128, Double, Int32, Long };
