import type { Document } from 'bson';
import { Query } from 'mingo';
import { commandError } from '../errors';
import type { IndexSpec } from './types';

/*
 * Index keys are strings so that a JS Map can serve as a hash index. Each BSON value maps to a
 * self-delimiting token: two values get the same token exactly when MongoDB's comparison rules
 * call them equal (1, 1.0, NumberLong(1) and NumberDecimal("1.00") are one key; "1" is another).
 * The string order is NOT BSON sort order: these keys serve equality lookups only.
 */

/** Index value of an empty array: MongoDB indexes `[]` as `undefined`, distinct from null. */
const EMPTY_ARRAY_TOKEN = 'u';
const NULL_TOKEN = 'z';

/** Canonical equality key of a BSON value; `null`, `undefined` and missing all give the null key. */
export function encodeKey(value: unknown): string {
  if (value === null || value === undefined) return NULL_TOKEN;
  switch (typeof value) {
    case 'number':
      return doubleToken(value);
    case 'bigint':
      return decimalToken(value < 0n, (value < 0n ? -value : value).toString(), 0);
    case 'string':
      return 's' + JSON.stringify(value);
    case 'boolean':
      return value ? 't1' : 't0';
    case 'object':
      return objectToken(value as object);
    default:
      // Functions and symbols are not BSON values; refusing them beats inventing an order.
      throw commandError('BadValue', `cannot index a value of type ${typeof value}`);
  }
}

function objectToken(value: object): string {
  if (Array.isArray(value)) return 'a[' + value.map(encodeKey).join(',') + ']';
  if (value instanceof Date) return 'd' + value.getTime();
  if (value instanceof RegExp) return 'r' + JSON.stringify([value.source, [...value.flags].sort().join('')]);
  if (value instanceof Uint8Array) return binaryToken(0, value);
  const bson = value as { _bsontype?: string } & Record<string, unknown>;
  switch (bson._bsontype) {
    case undefined:
      break;
    case 'ObjectId':
      return 'i' + (bson as unknown as { toHexString(): string }).toHexString();
    case 'Int32':
    case 'Double':
      return doubleToken(bson.value as number);
    case 'Long':
      return longToken(String(bson));
    case 'Decimal128':
      return decimal128Token(String(bson));
    case 'Binary': {
      const bin = bson as unknown as { sub_type: number; buffer: Uint8Array; position: number };
      return binaryToken(bin.sub_type, bin.buffer.subarray(0, bin.position));
    }
    case 'Timestamp': {
      const ts = bson as unknown as { t: number; i: number };
      return `T${ts.t}:${ts.i}`;
    }
    case 'BSONSymbol':
      return 's' + JSON.stringify(String(bson.value));
    case 'BSONRegExp':
      return 'r' + JSON.stringify([bson.pattern, [...String(bson.options)].sort().join('')]);
    case 'Code':
      return 'c' + JSON.stringify(bson.code) + (bson.scope ? encodeKey(bson.scope) : '');
    case 'MinKey':
      return '-';
    case 'MaxKey':
      return '+';
    case 'DBRef': {
      const ref = bson as unknown as { collection: string; oid: unknown; db?: string; fields: Document };
      return documentToken({ $ref: ref.collection, $id: ref.oid, ...(ref.db ? { $db: ref.db } : {}), ...ref.fields });
    }
    default:
      throw commandError('BadValue', `cannot index BSON type ${bson._bsontype}`);
  }
  if (value instanceof Map) return documentToken(Object.fromEntries(value));
  return documentToken(value as Document);
}

// Embedded documents compare field by field, names included, in stored order; undefined
// members are skipped because BSON serialization drops them.
function documentToken(doc: Document): string {
  const parts: string[] = [];
  for (const [name, member] of Object.entries(doc)) {
    if (member !== undefined) parts.push(JSON.stringify(name) + ':' + encodeKey(member));
  }
  return 'o{' + parts.join(',') + '}';
}

function binaryToken(subType: number, bytes: Uint8Array): string {
  return `b${subType}:` + Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Numbers of every BSON type share one exact decimal form: sign, significant digits, exponent. */
function decimalToken(negative: boolean, digits: string, exponent: number): string {
  const significant = digits.replace(/^0+/, '');
  if (significant === '') return 'n0';
  const trimmed = significant.replace(/0+$/, '');
  return `n${negative ? '-' : ''}${trimmed}e${exponent + significant.length - trimmed.length}`;
}

function doubleToken(x: number): string {
  if (Number.isNaN(x)) return 'nNaN';
  if (x === Infinity) return 'nInf';
  if (x === -Infinity) return 'n-Inf';
  if (Number.isSafeInteger(x)) return decimalToken(x < 0, String(Math.abs(x)), 0);
  // A double is m / 2^k exactly; m * 5^k / 10^k gives its exact decimal digits, so a double
  // equals a Decimal128 only when MongoDB would say so (0.1 as a double is not decimal 0.1).
  let m = Math.abs(x);
  let k = 0;
  while (!Number.isInteger(m)) {
    m *= 2;
    k++;
  }
  return decimalToken(x < 0, (BigInt(m) * 5n ** BigInt(k)).toString(), -k);
}

function longToken(text: string): string {
  const negative = text.startsWith('-');
  return decimalToken(negative, negative ? text.slice(1) : text, 0);
}

function decimal128Token(text: string): string {
  if (text === 'NaN' || text === '-NaN') return 'nNaN';
  if (text === 'Infinity') return 'nInf';
  if (text === '-Infinity') return 'n-Inf';
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:E([+-]\d+))?$/i.exec(text);
  if (!match) throw commandError('BadValue', `unparsable Decimal128 ${text}`);
  const [, sign, whole, fraction = '', exp = '0'] = match;
  return decimalToken(sign === '-', whole + fraction, Number(exp) - fraction.length);
}

/** An index key pattern prepared for key extraction. */
export interface CompiledIndex {
  readonly spec: IndexSpec;
  /** Field paths of the key pattern, in order. */
  readonly fields: string[];
  readonly sparse: boolean;
  readonly partial: Query | null;
}

/** One index entry of a document: its full key, the keys of every prefix of it, and its values. */
export interface IndexEntry {
  /** `prefixes[i]` is the key of the first `i + 1` fields; the last one is the full key. */
  readonly prefixes: string[];
  /** The indexed values (null for missing, undefined for an empty array), for error messages. */
  readonly values: unknown[];
}

/** Prepares an index spec for {@link indexEntries}. Throws BadValue for an empty key pattern. */
export function compileIndex(spec: IndexSpec): CompiledIndex {
  const fields = Object.keys(spec.key ?? {});
  if (fields.length === 0) throw commandError('BadValue', 'Index keys cannot be empty.');
  const partial = spec.partialFilterExpression ? new Query(spec.partialFilterExpression) : null;
  return { spec, fields, sparse: spec.sparse === true, partial };
}

const MISSING = Symbol('missing');
const EMPTY_ARRAY = Symbol('emptyArray');

interface FieldValues {
  values: unknown[];
  /** Path prefix of the first array that was expanded, or null when the field is not multikey. */
  arrayPath: string | null;
}

/**
 * The entries a document contributes to an index: one per distinct key tuple (several when an
 * indexed path crosses an array, i.e. multikey), none when a sparse index finds every indexed
 * field missing or the document fails the partial filter. Missing fields index as null.
 * Throws CannotIndexParallelArrays when two indexed fields run through different arrays.
 */
export function indexEntries(doc: Document, index: CompiledIndex): IndexEntry[] {
  if (index.partial && !index.partial.test(doc)) return [];
  const perField = index.fields.map((field) => fieldValues(doc, field));
  if (index.sparse && perField.every((f) => f.values.every((v) => v === MISSING))) return [];
  const arrays = perField.filter((f) => f.arrayPath !== null).map((f) => f.arrayPath as string);
  if (new Set(arrays).size > 1) {
    throw commandError('CannotIndexParallelArrays', `cannot index parallel arrays [${arrays[1]}] [${arrays[0]}]`);
  }
  let tuples: { prefixes: string[]; values: unknown[] }[] = [{ prefixes: [], values: [] }];
  for (const field of perField) {
    const next: typeof tuples = [];
    for (const tuple of tuples) {
      const base = tuple.prefixes.at(-1) ?? '';
      for (const value of field.values) {
        next.push({
          prefixes: [...tuple.prefixes, base + valueToken(value)],
          values: [...tuple.values, value === MISSING ? null : value === EMPTY_ARRAY ? undefined : value],
        });
      }
    }
    tuples = next;
  }
  return tuples;
}

function valueToken(value: unknown): string {
  if (value === MISSING) return NULL_TOKEN;
  if (value === EMPTY_ARRAY) return EMPTY_ARRAY_TOKEN;
  return encodeKey(value);
}

// Walks a dotted path the way MongoDB's key generator does: an array met on the way is expanded
// (each element that is a document continues the path; a numeric component selects a position),
// and an array at the end contributes each element, not the array itself.
function fieldValues(doc: Document, field: string): FieldValues {
  const parts = field.split('.');
  const out: unknown[] = [];
  let arrayPath: string | null = null;
  const visit = (value: unknown, i: number): void => {
    if (i === parts.length) {
      if (!Array.isArray(value)) return void out.push(value === undefined ? MISSING : value);
      arrayPath ??= parts.slice(0, i).join('.');
      if (value.length === 0) out.push(EMPTY_ARRAY);
      else out.push(...value.map((v) => (v === undefined ? null : v)));
      return;
    }
    if (Array.isArray(value)) {
      const position = /^\d+$/.test(parts[i]) ? Number(parts[i]) : -1;
      if (position >= 0 && position < value.length) return visit(value[position], i + 1);
      arrayPath ??= parts.slice(0, i).join('.');
      const before = out.length;
      // Like mongod, an array directly inside an array does not continue the path.
      for (const element of value) if (!Array.isArray(element)) visit(element, i);
      if (out.length === before) out.push(MISSING);
      return;
    }
    if (!isDocument(value)) return void out.push(MISSING);
    visit((value as Document)[parts[i]], i + 1);
  };
  visit(doc, 0);
  // A multikey document must not be counted twice for one index key.
  const seen = new Set<string>();
  const values = out.filter((v) => {
    const token = valueToken(v);
    return seen.has(token) ? false : (seen.add(token), true);
  });
  return { values, arrayPath };
}

function isDocument(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  if (value instanceof Date || value instanceof RegExp || value instanceof Uint8Array) return false;
  return (value as { _bsontype?: string })._bsontype === undefined;
}

/**
 * The keys an equality lookup for `value` must probe: the value itself and, for an array, also
 * its first element (or the empty-array key), because a multikey index stores elements, not arrays.
 */
export function lookupTokens(value: unknown): string[] {
  if (!Array.isArray(value)) return [encodeKey(value)];
  return [encodeKey(value), value.length === 0 ? EMPTY_ARRAY_TOKEN : encodeKey(value[0])];
}

/** Renders key values the way mongod prints them in E11000 messages: `{ email: "x", n: 1 }`. */
export function formatKeyValue(fields: string[], values: unknown[]): string {
  if (fields.length === 0) return '{}';
  return '{ ' + fields.map((f, i) => `${f}: ${formatValue(values[i])}`).join(', ') + ' }';
}

function formatValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return value.length ? '[ ' + value.map(formatValue).join(', ') + ' ]' : '[]';
  if (value instanceof Date) return `new Date(${value.getTime()})`;
  const bson = value as { _bsontype?: string } & Record<string, unknown>;
  switch (bson._bsontype) {
    case 'ObjectId':
      return `ObjectId('${String(bson)}')`;
    case 'Decimal128':
      return `NumberDecimal("${String(bson)}")`;
    case undefined: {
      const entries = Object.entries(value).filter(([, v]) => v !== undefined);
      if (entries.length === 0) return '{}';
      return '{ ' + entries.map(([k, v]) => `${k}: ${formatValue(v)}`).join(', ') + ' }';
    }
    default:
      return String(bson);
  }
}
