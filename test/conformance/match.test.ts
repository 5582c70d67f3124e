import { Double, EJSON, Int32, Long, ObjectId } from 'bson';
import { describe, expect, it } from 'vitest';
import { findExactMismatch, findMismatch, type EntityResolver } from './unified/match';

const ejson = (text: string): unknown => EJSON.parse(text, { relaxed: false });

describe('numbers compare by value across int32, int64 and double', () => {
  it('matches an Int32 expectation against a decoded JS number and a Long', () => {
    expect(findMismatch(new Int32(1), 1)).toBeNull();
    expect(findMismatch(ejson('{"n": {"$numberLong": "5"}}'), { n: 5 })).toBeNull();
    expect(findMismatch({ ok: 1 }, { ok: new Double(1.0) })).toBeNull();
  });

  it('tells 1 from 1.5 and from the string "1"', () => {
    expect(findMismatch(1, 1.5)).toMatch(/expected 1, got 1.5/);
    expect(findMismatch(1, '1')).not.toBeNull();
  });

  it('compares int64 values beyond 2^53 exactly', () => {
    expect(findMismatch(Long.fromString('9007199254740993'), Long.fromString('9007199254740993'))).toBeNull();
    expect(findMismatch(Long.fromString('9007199254740993'), Long.fromString('9007199254740992'))).not.toBeNull();
  });
});

describe('extra fields', () => {
  it('are allowed in the root document', () => {
    expect(findMismatch({ x: 1 }, { x: 1, y: 2 })).toBeNull();
  });

  it('are refused in nested documents', () => {
    expect(findMismatch({ x: { y: 1 } }, { x: { y: 1, z: 1 } })).toMatch(/^x: unexpected field\(s\) z/);
  });

  it('are allowed in each document of a cursor result, not of a plain array', () => {
    const expected = [{ x: 1 }, { x: 2 }];
    const actual = [{ x: 1, y: 1 }, { x: 2, y: 2 }];
    expect(findMismatch(expected, actual, { rootArray: true })).toBeNull();
    expect(findMismatch(expected, actual)).toMatch(/^\$\[0\]: unexpected field/);
  });

  it('never excuse a missing field or a different array length', () => {
    expect(findMismatch({ x: 1, y: 1 }, { x: 1 })).toMatch(/^y: expected 1, but the field is unset/);
    expect(findMismatch([1, 2, 3], [1, 2, 3, 4])).toMatch(/expected 3 element/);
  });

  it('see getters of driver result classes as fields', () => {
    class Result {
      get insertedCount() {
        return 2;
      }
    }
    expect(findMismatch({ insertedCount: 2 }, new Result())).toBeNull();
  });
});

describe('$$exists', () => {
  it('asserts presence whatever the value, null included', () => {
    expect(findMismatch({ a: { $$exists: true } }, { a: null })).toBeNull();
    expect(findMismatch({ a: { $$exists: true } }, {})).toMatch(/^a: expected to exist/);
  });

  it('asserts absence, and an absent field does not count as extra in a nested document', () => {
    expect(findMismatch({ c: { writeConcern: { $$exists: false } } }, { c: {} })).toBeNull();
    expect(findMismatch({ writeConcern: { $$exists: false } }, { writeConcern: { w: 1 } })).toMatch(/expected to be unset/);
  });
});

describe('$$type', () => {
  it('accepts any of several types and the number alias', () => {
    expect(findMismatch({ getMore: { $$type: ['int', 'long'] } }, { getMore: Long.fromNumber(12) })).toBeNull();
    expect(findMismatch({ n: { $$type: 'number' } }, { n: new Double(1.5) })).toBeNull();
    expect(findMismatch({ s: { $$type: 'string' } }, { s: 'x' })).toBeNull();
    expect(findMismatch({ _id: { $$type: 'objectId' } }, { _id: new ObjectId() })).toBeNull();
    expect(findMismatch({ d: { $$type: 'object' } }, { d: { a: 1 } })).toBeNull();
  });

  it('refuses another type and a missing field', () => {
    expect(findMismatch({ s: { $$type: 'string' } }, { s: 1 })).toMatch(/expected type "string"/);
    expect(findMismatch({ s: { $$type: 'string' } }, {})).toMatch(/got unset/);
    expect(findMismatch({ n: { $$type: 'int' } }, { n: 1.5 })).not.toBeNull();
  });
});

describe('$$unsetOrMatches', () => {
  it('accepts an unset field or a matching value, and refuses a different one', () => {
    expect(findMismatch({ insertedId: { $$unsetOrMatches: 2 } }, { acknowledged: true })).toBeNull();
    expect(findMismatch({ insertedId: { $$unsetOrMatches: 2 } }, { insertedId: 2 })).toBeNull();
    expect(findMismatch({ insertedId: { $$unsetOrMatches: 2 } }, { insertedId: 3 })).toMatch(/^insertedId: expected 2, got 3/);
  });

  it('wraps a whole result without changing whether it is root-level', () => {
    const expected = { $$unsetOrMatches: { acknowledged: { $$unsetOrMatches: false } } };
    expect(findMismatch(expected, undefined)).toBeNull();
    expect(findMismatch(expected, { acknowledged: false, deletedCount: 0 })).toBeNull();
    expect(findMismatch({ a: { $$unsetOrMatches: { b: 1 } } }, { a: { b: 1, c: 2 } })).toMatch(/unexpected field/);
  });
});

describe('other special operators', () => {
  const entities: EntityResolver = {
    value: (id) => (id === 'id0' ? new ObjectId('000000000000000000000001') : undefined),
    sessionLsid: () => ({ id: 'lsid' }),
  };

  it('$$matchesEntity, $$lte and $$matchAsRoot', () => {
    expect(findMismatch({ _id: { $$matchesEntity: 'id0' } }, { _id: new ObjectId('000000000000000000000001') }, { entities })).toBeNull();
    expect(findMismatch({ n: { $$lte: 5 } }, { n: 5 })).toBeNull();
    expect(findMismatch({ n: { $$lte: 5 } }, { n: 6 })).not.toBeNull();
    expect(findMismatch({ a: { $$matchAsRoot: { b: 1 } } }, { a: { b: 1, c: 2 } })).toBeNull();
  });

  it('raises on an operator it does not know', () => {
    expect(() => findMismatch({ a: { $$bogus: 1 } }, { a: 1 })).toThrow(/unsupported special operator/);
  });
});

describe('outcome comparison is exact', () => {
  it('ignores key order and numeric representation but not extra fields', () => {
    expect(findExactMismatch({ _id: 1, x: new Int32(11) }, { x: 11, _id: 1 })).toBeNull();
    expect(findExactMismatch({ _id: 1 }, { _id: 1, x: 1 })).toMatch(/\$\.x: unexpected field/);
    expect(findExactMismatch({ _id: 1, a: { b: 1 } }, { _id: 1, a: { b: 1, c: 1 } })).toMatch(/\$\.a\.c/);
  });
});
