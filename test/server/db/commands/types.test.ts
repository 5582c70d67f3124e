import { Binary, Decimal128, Double, Int32, Long, ObjectId, UUID, type Collection, type Document } from 'mongodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Loose, type TestServer, startTestServer } from './harness.js';

let t: TestServer;
let coll: Collection<Loose>;
const raw = { promoteValues: false, promoteLongs: false } as const;

beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());
beforeEach(async () => {
  await t.db.dropDatabase();
  coll = t.db.collection<Loose>('typed');
});

const sample = () => ({
  _id: new Int32(1),
  i32: new Int32(7),
  i64: Long.fromString('9007199254740993'),
  small64: Long.fromNumber(5),
  dbl: new Double(2),
  dec: Decimal128.fromString('1.10'),
  date: new Date('2024-05-06T07:08:09.123Z'),
  bin: new Binary(Buffer.from([1, 2, 3]), 0),
  uuid: new UUID('0f1e2d3c-4b5a-4987-8f6e-5d4c3b2a1908'),
  oid: new ObjectId('64b0c0ffee0000000000abcd'),
  nested: { z: new Int32(1), a: new Double(1.5) },
});

describe('BSON types round-trip', () => {
  it('keeps int32, int64, double, decimal128, date, binary, uuid and ObjectId', async () => {
    await coll.insertOne(sample());
    const doc = await coll.findOne({ _id: 1 }, raw);
    expect(doc).toEqual(sample());
    expect(doc?.dbl).toBeInstanceOf(Double);
    expect(doc?.small64).toBeInstanceOf(Long);
  });

  it('keeps types of unchanged fields when an update rewrites the document', async () => {
    await coll.insertOne(sample());
    await coll.updateOne({ _id: 1 }, { $set: { extra: 'x' } });
    const { extra, ...rest } = (await coll.findOne({ _id: 1 }, raw)) as Loose;
    expect(extra).toBe('x');
    expect(rest).toEqual(sample());
  });

  it('keeps types through projections', async () => {
    await coll.insertOne(sample());
    const doc = await coll.findOne({ _id: 1 }, { ...raw, projection: { small64: 1, dbl: 1, 'nested.a': 1 } });
    expect(doc).toEqual({ _id: new Int32(1), small64: Long.fromNumber(5), dbl: new Double(2), nested: { a: new Double(1.5) } });
  });

  it('keeps types through pipeline updates for fields that kept their value', async () => {
    await coll.insertOne(sample());
    await coll.updateOne({ _id: 1 }, [{ $set: { added: { $add: ['$i32', 1] } } }]);
    const doc = await coll.findOne({ _id: 1 }, raw);
    expect(doc?.small64).toEqual(Long.fromNumber(5));
    expect(doc?.dbl).toBeInstanceOf(Double);
    expect(doc?.added).toEqual(new Int32(8));
  });
});

describe('$inc and $mul keep numeric types', () => {
  beforeEach(async () => {
    await coll.insertOne({ _id: 1, i: new Int32(2147483646), l: Long.fromNumber(10), d: new Double(1), k: new Int32(3) });
  });

  it('keeps int32 until it overflows, then widens to int64', async () => {
    await coll.updateOne({ _id: 1 }, { $inc: { i: new Int32(1) } });
    expect((await coll.findOne({ _id: 1 }, raw))?.i).toEqual(new Int32(2147483647));
    await coll.updateOne({ _id: 1 }, { $inc: { i: new Int32(1) } });
    expect((await coll.findOne({ _id: 1 }, raw))?.i).toEqual(Long.fromString('2147483648'));
  });

  it('keeps int64 and double targets, widens int32 by a double operand', async () => {
    await coll.updateOne({ _id: 1 }, { $inc: { l: new Int32(1), d: new Int32(1), k: new Double(0.5) } });
    const doc = await coll.findOne({ _id: 1 }, raw);
    expect(doc?.l).toEqual(Long.fromNumber(11));
    expect(doc?.d).toEqual(new Double(2));
    expect(doc?.k).toEqual(new Double(3.5));
  });

  it('multiplies with the same rules and creates missing fields as typed zero', async () => {
    await coll.updateOne({ _id: 1 }, { $mul: { l: new Int32(3), missing: Long.fromNumber(4) } });
    const doc = await coll.findOne({ _id: 1 }, raw);
    expect(doc?.l).toEqual(Long.fromNumber(30));
    expect(doc?.missing).toEqual(Long.fromNumber(0));
  });

  it('stores $set values with the type the client sent', async () => {
    await coll.updateOne({ _id: 1 }, { $set: { long: Long.fromNumber(1), dbl: new Double(3) } });
    const doc = await coll.findOne({ _id: 1 }, raw);
    expect(doc?.long).toEqual(Long.fromNumber(1));
    expect(doc?.dbl).toEqual(new Double(3));
  });
});

describe('matching and sorting across BSON types', () => {
  beforeEach(async () => {
    await coll.insertMany([
      { _id: 1, n: Long.fromNumber(10), o: new ObjectId('000000000000000000000003'), v: Decimal128.fromString('2.5') },
      { _id: 2, n: new Int32(9), o: new ObjectId('000000000000000000000001'), v: new Double(3) },
      { _id: 3, n: Long.fromString('100000000000000000'), o: new ObjectId('000000000000000000000002'), v: new Int32(1) },
    ]);
  });

  it('compares int64 and decimal128 numerically with other numbers', async () => {
    expect((await coll.find({ n: { $gt: 9 } }).toArray()).map((d) => d._id)).toEqual([1, 3]);
    expect((await coll.find({ n: 10 }).toArray()).map((d) => d._id)).toEqual([1]);
    expect((await coll.find({ v: { $gte: 2 } }).toArray()).map((d) => d._id)).toEqual([1, 2]);
    expect((await coll.find({ v: Decimal128.fromString('3') }).toArray()).map((d) => d._id)).toEqual([2]);
  });

  it('sorts int64, decimal128 and ObjectId by value', async () => {
    expect((await coll.find().sort({ n: 1 }).toArray()).map((d) => d._id)).toEqual([2, 1, 3]);
    expect((await coll.find().sort({ v: -1 }).toArray()).map((d) => d._id)).toEqual([2, 1, 3]);
    expect((await coll.find().sort({ o: 1 }).toArray()).map((d) => d._id)).toEqual([2, 3, 1]);
    const agg = await coll.aggregate([{ $sort: { n: -1 } }]).toArray();
    expect(agg.map((d) => d._id)).toEqual([3, 1, 2]);
  });

  it('matches ObjectId equality, $in and ranges', async () => {
    const oid = new ObjectId('000000000000000000000002');
    expect((await coll.findOne({ o: oid }))?._id).toBe(3);
    expect((await coll.find({ o: { $in: [oid, new ObjectId('000000000000000000000001')] } }).toArray()).map((d) => d._id)).toEqual([2, 3]);
    expect((await coll.find({ o: { $gt: oid } }).toArray()).map((d) => d._id)).toEqual([1]);
  });

  it('answers $type for BSON type names and numbers', async () => {
    expect(await coll.countDocuments({ n: { $type: 'long' } })).toBe(2);
    expect(await coll.countDocuments({ o: { $type: 'objectId' } })).toBe(3);
    expect(await coll.countDocuments({ v: { $type: 'decimal' } })).toBe(1);
    expect(await coll.countDocuments({ v: { $type: 19 } })).toBe(1);
    expect(await coll.countDocuments({ n: { $type: 'number' } })).toBe(3);
  });

  it('finds by an int64 _id equal to an int32 one', async () => {
    await coll.insertOne({ _id: Long.fromNumber(50) as never, x: 1 });
    expect((await coll.findOne({ _id: 50 }))?.x).toBe(1);
  });
});
