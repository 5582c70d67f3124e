import { describe, expect, it } from 'vitest';
import { Binary, BSONSymbol, Decimal128, Double, Int32, Long, ObjectId } from 'bson';
import { compileIndex, encodeKey, formatKeyValue, indexEntries } from '../../../../server/db/embedded/storage/indexKey';
import type { IndexSpec } from '../../../../server/db/embedded/storage/types';
import { againstRealMongo } from '../commands/harness.js';

// Storage engine internals: nothing here talks to a server, so TEST_MONGODB_URI runs skip it.

const same = (a: unknown, b: unknown) => expect(encodeKey(a)).toBe(encodeKey(b));
const differ = (a: unknown, b: unknown) => expect(encodeKey(a)).not.toBe(encodeKey(b));

describe.skipIf(againstRealMongo)('encodeKey: numbers compare by value across BSON numeric types', () => {
  it('treats int32, int64, double, Decimal128 and bigint 1 as one key', () => {
    for (const one of [1.0, new Int32(1), new Double(1), Long.fromNumber(1), Decimal128.fromString('1.00'), 1n]) same(1, one);
  });

  it('treats 0, -0 and Decimal128 -0 as one key', () => {
    same(0, -0);
    same(0, Decimal128.fromString('-0'));
    same(0, Decimal128.fromString('0E+10'));
  });

  it('compares doubles and decimals exactly', () => {
    same(0.5, Decimal128.fromString('0.500'));
    same(1.5e20, Decimal128.fromString('15E19'));
    same(-2.25, Decimal128.fromString('-2.25'));
    differ(0.1, Decimal128.fromString('0.1'));
    differ(1, 2);
    differ(1, -1);
  });

  it('keeps int64 precision beyond 2^53', () => {
    differ(Long.fromString('9007199254740993'), 9007199254740992);
    same(Long.fromString('9007199254740992'), 9007199254740992);
    same(Long.fromString('-9223372036854775808'), Decimal128.fromString('-9223372036854775808'));
  });

  it('treats every NaN as one key and keeps the infinities apart', () => {
    same(NaN, Decimal128.fromString('NaN'));
    same(Infinity, Decimal128.fromString('Infinity'));
    differ(Infinity, -Infinity);
  });
});

describe.skipIf(againstRealMongo)('encodeKey: other types', () => {
  it('maps null and undefined to the same key', () => {
    same(null, undefined);
    differ(null, 0);
    differ(null, '');
  });

  it('does not confuse types that print alike', () => {
    differ('1', 1);
    differ(true, 1);
    differ(new Date(5), 5);
    differ([1], 1);
    same(new BSONSymbol('a'), 'a');
  });

  it('compares ObjectIds by bytes and Dates by milliseconds', () => {
    const hex = '64b7f0c2a1b2c3d4e5f60718';
    same(new ObjectId(hex), new ObjectId(hex));
    differ(new ObjectId(hex), new ObjectId('64b7f0c2a1b2c3d4e5f60719'));
    differ(new ObjectId(hex), hex);
    same(new Date(1700000000000), new Date(1700000000000));
    differ(new Date(1), new Date(2));
  });

  it('compares binary data by subtype and bytes', () => {
    same(new Binary(Buffer.from('ab'), 0), new Binary(Buffer.from('ab'), 0));
    differ(new Binary(Buffer.from('ab'), 0), new Binary(Buffer.from('ab'), 4));
    differ(new Binary(Buffer.from('ab'), 0), new Binary(Buffer.from('ac'), 0));
  });

  it('compares embedded documents by field order, names and values', () => {
    same({ a: 1, b: { c: 'x' } }, { a: 1.0, b: { c: 'x' } });
    differ({ a: 1, b: 2 }, { b: 2, a: 1 });
    differ({ a: 1 }, { b: 1 });
    differ({ a: null }, {});
  });

  it('compares arrays element by element', () => {
    same([1, 'a'], [Long.fromNumber(1), 'a']);
    differ([1, 2], [2, 1]);
    differ([], null);
  });

  it('is unambiguous when strings contain delimiters', () => {
    differ(['a,b'], ['a', 'b']);
    differ({ 'a":1,"b': 1 }, { a: 1, b: 1 });
    differ(['s"x'], ['s', 'x']);
  });
});

const spec = (key: IndexSpec['key'], extra: Partial<IndexSpec> = {}): IndexSpec => ({ name: 'ix', key, ...extra });
const keysOf = (doc: object, s: IndexSpec) => indexEntries(doc, compileIndex(s)).map((e) => e.values);

describe.skipIf(againstRealMongo)('indexEntries: which keys a document contributes', () => {
  it('follows dotted paths into embedded documents', () => {
    expect(keysOf({ a: { b: 5 } }, spec({ 'a.b': 1 }))).toEqual([[5]]);
  });

  it('indexes a missing field as null', () => {
    expect(keysOf({ x: 1 }, spec({ email: 1 }))).toEqual([[null]]);
    const [missing] = indexEntries({}, compileIndex(spec({ email: 1 })));
    const [explicitNull] = indexEntries({ email: null }, compileIndex(spec({ email: 1 })));
    expect(missing.prefixes).toEqual(explicitNull.prefixes);
  });

  it('produces one entry per distinct array element (multikey)', () => {
    expect(keysOf({ tags: ['x', 'y', 'x'] }, spec({ tags: 1 }))).toEqual([['x'], ['y']]);
    expect(keysOf({ items: [{ sku: 1 }, { sku: 2 }, { other: 3 }] }, spec({ 'items.sku': 1 }))).toEqual([[1], [2], [null]]);
  });

  it('indexes an empty array apart from null', () => {
    const [empty] = indexEntries({ tags: [] }, compileIndex(spec({ tags: 1 })));
    const [missing] = indexEntries({}, compileIndex(spec({ tags: 1 })));
    expect(empty.values).toEqual([undefined]);
    expect(empty.prefixes).not.toEqual(missing.prefixes);
  });

  it('combines a multikey field with the other fields of a compound index', () => {
    expect(keysOf({ a: 1, b: [2, 3] }, spec({ a: 1, b: 1 }))).toEqual([
      [1, 2],
      [1, 3],
    ]);
  });

  it('gives compound entries a key per prefix', () => {
    const c = compileIndex(spec({ a: 1, b: -1 }));
    const [ab] = indexEntries({ a: 1, b: 2 }, c);
    const [a] = indexEntries({ a: 1.0, b: 'other' }, c);
    expect(ab.prefixes).toHaveLength(2);
    expect(ab.prefixes[0]).toBe(a.prefixes[0]);
    expect(ab.prefixes[1]).not.toBe(a.prefixes[1]);
  });

  it('refuses parallel arrays in a compound index', () => {
    expect(() => keysOf({ a: [1], b: [2] }, spec({ a: 1, b: 1 }))).toThrow(expect.objectContaining({ code: 171 }));
  });

  it('skips documents missing every field of a sparse index, but not explicit nulls', () => {
    const sparse = spec({ a: 1, b: 1 }, { sparse: true });
    expect(keysOf({ c: 1 }, sparse)).toEqual([]);
    expect(keysOf({ b: 2 }, sparse)).toEqual([[null, 2]]);
    expect(keysOf({ a: null }, spec({ a: 1 }, { sparse: true }))).toEqual([[null]]);
  });

  it('indexes only documents matching a partial filter', () => {
    const partial = spec({ email: 1 }, { partialFilterExpression: { active: true } });
    expect(keysOf({ email: 'x', active: false }, partial)).toEqual([]);
    expect(keysOf({ email: 'x', active: true }, partial)).toEqual([['x']]);
  });
});

describe.skipIf(againstRealMongo)('formatKeyValue', () => {
  it('renders values like mongod does in E11000 messages', () => {
    expect(formatKeyValue(['email'], ['x'])).toBe('{ email: "x" }');
    expect(formatKeyValue(['a', 'b'], [1, null])).toBe('{ a: 1, b: null }');
    expect(formatKeyValue(['o'], [new ObjectId('64b7f0c2a1b2c3d4e5f60718')])).toBe("{ o: ObjectId('64b7f0c2a1b2c3d4e5f60718') }");
    expect(formatKeyValue(['d', 'e'], [{ x: 1 }, [1, 'y']])).toBe('{ d: { x: 1 }, e: [ 1, "y" ] }');
  });
});
