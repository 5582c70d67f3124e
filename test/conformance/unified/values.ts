import { EJSON } from 'bson';

/**
 * Type names and scalar comparison for the matcher, independent of the matching rules themselves.
 * Values come from two places: Extended JSON parsed with `relaxed: false` (so `Int32`, `Long`,
 * `Double` wrappers) and the driver's decoded replies (promoted to plain JS numbers).
 */

interface BsonTagged {
  _bsontype: string;
}

function bsonTag(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const tag = (value as Partial<BsonTagged>)._bsontype;
  return typeof tag === 'string' ? tag : undefined;
}

/** True for a document-like value: a plain or class object that is not a BSON scalar or array. */
export function isDocument(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value) || value instanceof Date || value instanceof RegExp) return false;
  if (value instanceof Uint8Array || value instanceof Map) return false;
  const tag = bsonTag(value);
  return tag === undefined || tag === 'DBRef';
}

const TAG_TO_TYPE: Record<string, string> = {
  Int32: 'int',
  Long: 'long',
  Double: 'double',
  Decimal128: 'decimal',
  ObjectId: 'objectId',
  Binary: 'binData',
  BSONRegExp: 'regex',
  Timestamp: 'timestamp',
  MinKey: 'minKey',
  MaxKey: 'maxKey',
  BSONSymbol: 'symbol',
  DBRef: 'object',
};

const NUMBER_ALIAS = ['int', 'long', 'double', 'decimal'];

/**
 * The `$type` names a value may have. A plain JS number is ambiguous because the driver decodes
 * int32, int64 and whole doubles alike, so an integral number answers to all three names.
 */
export function bsonTypeNames(value: unknown): string[] {
  if (value === undefined) return ['undefined'];
  if (value === null) return ['null'];
  if (typeof value === 'boolean') return ['bool'];
  if (typeof value === 'string') return ['string'];
  if (typeof value === 'bigint') return ['long'];
  if (typeof value === 'number') return Number.isInteger(value) ? ['int', 'long', 'double'] : ['double'];
  if (Array.isArray(value)) return ['array'];
  if (value instanceof Date) return ['date'];
  if (value instanceof RegExp) return ['regex'];
  if (value instanceof Uint8Array) return ['binData'];
  const tag = bsonTag(value);
  if (tag === 'Code') return (value as { scope?: unknown }).scope ? ['javascriptWithScope'] : ['javascript'];
  if (tag !== undefined) return [TAG_TO_TYPE[tag] ?? tag];
  return ['object'];
}

/** Whether `value` has one of the `$type` names in `expected` (which may use the alias `number`). */
export function hasBsonType(value: unknown, expected: string | string[]): boolean {
  const wanted = new Set((Array.isArray(expected) ? expected : [expected]).flatMap((t) => (t === 'number' ? NUMBER_ALIAS : [t])));
  return bsonTypeNames(value).some((name) => wanted.has(name));
}

/** The numeric value of an int/long/double in any representation, or undefined for non-numbers. */
export function numericValue(value: unknown): number | bigint | undefined {
  if (typeof value === 'number' || typeof value === 'bigint') return value;
  const tag = bsonTag(value);
  if (tag === 'Int32' || tag === 'Double') return (value as { value: number }).value;
  if (tag === 'Long') return BigInt((value as { toString(): string }).toString());
  return undefined;
}

/** Compares two numbers of any representation by value (NaN equals NaN); -1, 0 or 1. */
export function compareNumbers(a: number | bigint, b: number | bigint): number {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) && Number.isNaN(b)) return 0;
    return a < b ? -1 : a > b ? 1 : a === b ? 0 : Number.NaN;
  }
  // One side is an int64: compare exactly when the other is whole, else through doubles.
  const x = typeof a === 'number' && Number.isInteger(a) ? BigInt(a) : a;
  const y = typeof b === 'number' && Number.isInteger(b) ? BigInt(b) : b;
  if (typeof x === 'bigint' && typeof y === 'bigint') return x < y ? -1 : x > y ? 1 : 0;
  const fx = Number(x);
  const fy = Number(y);
  return fx < fy ? -1 : fx > fy ? 1 : fx === fy ? 0 : Number.NaN;
}

function bytesOf(value: unknown): Uint8Array | undefined {
  if (value instanceof Uint8Array) return value;
  if (bsonTag(value) === 'Binary') return (value as { buffer: Uint8Array }).buffer;
  return undefined;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

function canonical(value: unknown): string {
  return EJSON.stringify(value as never, { relaxed: false });
}

/**
 * Equality of two non-document, non-array values, numbers compared by value across int32, int64
 * and double (Decimal128 by its decimal string), as the unified format's "flexible numerics" asks.
 */
export function scalarsEqual(expected: unknown, actual: unknown): boolean {
  const en = numericValue(expected);
  const an = numericValue(actual);
  if (en !== undefined || an !== undefined) return en !== undefined && an !== undefined && compareNumbers(en, an) === 0;
  if (expected === null || actual === null || expected === undefined || actual === undefined) return expected === actual;
  if (typeof expected !== 'object' || typeof actual !== 'object') return expected === actual;
  if (expected instanceof Date || actual instanceof Date) {
    return expected instanceof Date && actual instanceof Date && expected.getTime() === actual.getTime();
  }
  const eb = bytesOf(expected);
  const ab = bytesOf(actual);
  if (eb || ab) {
    const subtype = (v: unknown) => (bsonTag(v) === 'Binary' ? (v as { sub_type: number }).sub_type : 0);
    return !!eb && !!ab && subtype(expected) === subtype(actual) && sameBytes(eb, ab);
  }
  const tags = [bsonTag(expected) ?? (expected instanceof RegExp ? 'BSONRegExp' : ''), bsonTag(actual) ?? (actual instanceof RegExp ? 'BSONRegExp' : '')];
  if (tags[0] !== tags[1]) return false;
  return canonical(expected) === canonical(actual);
}

/** A short, single-line Extended JSON rendering for failure messages. */
export function describeValue(value: unknown, max = 200): string {
  let text: string;
  if (value === undefined) text = 'undefined (unset)';
  else {
    try {
      text = EJSON.stringify(value as never, { relaxed: true });
    } catch {
      text = String(value);
    }
  }
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
