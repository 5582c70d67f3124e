import { BSON, ObjectId, type Collection, type Document } from 'mongodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Loose, type TestServer, caught, startTestServer } from './harness.js';

let t: TestServer;
let coll: Collection<Loose>;

beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());
beforeEach(async () => {
  await t.db.dropDatabase();
  coll = t.db.collection<Loose>('items');
});

describe('insert', () => {
  it('gives documents without _id an ObjectId placed first', async () => {
    await coll.insertOne({ a: 1 });
    const [doc] = await coll.find().toArray();
    expect(Object.keys(doc)).toEqual(['_id', 'a']);
    expect(doc._id).toBeInstanceOf(ObjectId);
  });

  it('moves an _id that is not first to the front and keeps field order', async () => {
    await t.run({ insert: 'items', documents: [{ z: 1, a: 2, _id: 7, m: { y: 1, b: 2 } }] });
    const raw = await t.run({ find: 'items', filter: {} });
    expect(Object.keys(raw.cursor.firstBatch[0])).toEqual(['_id', 'z', 'a', 'm']);
    expect(Object.keys(raw.cursor.firstBatch[0].m)).toEqual(['y', 'b']);
  });

  it('reports duplicate keys as writeErrors with ok: 1 and counts successes', async () => {
    const reply = await t.run({ insert: 'items', documents: [{ _id: 1 }, { _id: 1 }, { _id: 2 }] });
    expect(reply.ok).toBe(1);
    expect(reply.n).toBe(1);
    expect(reply.writeErrors).toHaveLength(1);
    expect(reply.writeErrors[0]).toMatchObject({ index: 1, code: 11000, keyPattern: { _id: 1 }, keyValue: { _id: 1 } });
  });

  it('continues after errors when ordered is false', async () => {
    const reply = await t.run({ insert: 'items', documents: [{ _id: 1 }, { _id: 1 }, { _id: 2 }], ordered: false });
    expect(reply.n).toBe(2);
    expect(reply.writeErrors.map((e: Document) => e.index)).toEqual([1]);
  });

  it('surfaces 11000 through the driver', async () => {
    await coll.insertOne({ _id: 5 as never });
    const err = await caught(() => coll.insertOne({ _id: 5 as never }));
    expect(err.code).toBe(11000);
  });

  it('refuses an array _id with InvalidIdField', async () => {
    const reply = await t.run({ insert: 'items', documents: [{ _id: [1, 2] }] });
    expect(reply.writeErrors[0].code).toBe(53);
  });

  it('accepts $-prefixed and dotted field names outside _id, refuses $ in _id', async () => {
    const ok = await t.run({ insert: 'items', documents: [{ _id: 1, $a: 1, 'b.c': 2 }] });
    expect(ok.n).toBe(1);
    const bad = await t.run({ insert: 'items', documents: [{ _id: { $a: 1 } }] });
    expect(bad.writeErrors[0].code).toBe(52);
  });
});

describe('find', () => {
  beforeEach(async () => {
    await coll.insertMany([1, 2, 3, 4, 5, 6].map((i) => ({ _id: i, x: i * 11, g: i % 2 })));
  });

  it('applies filter, sort, skip and limit', async () => {
    const docs = await coll.find({ _id: { $gt: 2 } }).sort({ _id: 1 }).skip(2).limit(2).toArray();
    expect(docs).toEqual([{ _id: 5, x: 55, g: 1 }, { _id: 6, x: 66, g: 0 }]);
  });

  it('sorts on several keys with descending order', async () => {
    const docs = await coll.find({}).sort({ g: -1, x: 1 }).toArray();
    expect(docs.map((d) => d._id)).toEqual([1, 3, 5, 2, 4, 6]);
  });

  it('projects with inclusion, exclusion and _id suppression', async () => {
    expect(await coll.findOne({ _id: 1 }, { projection: { x: 1 } })).toEqual({ _id: 1, x: 11 });
    expect(await coll.findOne({ _id: 1 }, { projection: { x: 0 } })).toEqual({ _id: 1, g: 1 });
    expect(await coll.findOne({ _id: 1 }, { projection: { _id: 0, g: 1 } })).toEqual({ g: 1 });
  });

  it('refuses a projection mixing inclusion and exclusion', async () => {
    const reply = await t.run({ find: 'items', projection: { x: 1, g: 0 } });
    expect(reply.code).toBe(31254);
  });

  it('supports $expr with let variables', async () => {
    const reply = await t.run({ find: 'items', filter: { $expr: { $eq: ['$x', '$$target'] } }, let: { target: 33 } });
    expect(reply.cursor.firstBatch).toEqual([{ _id: 3, x: 33, g: 1 }]);
  });

  it('accepts hint and comment', async () => {
    const docs = await coll.find({ x: 22 }, { hint: { _id: 1 }, comment: 'why' }).toArray();
    expect(docs).toHaveLength(1);
  });

  it('returns an empty batch for a missing collection', async () => {
    expect(await t.db.collection<Loose>('nothing').find().toArray()).toEqual([]);
  });

  it('returns the stored bytes untouched', async () => {
    const bytes = BSON.serialize({ _id: 100, f: 1.5, s: 'x' });
    await coll.insertOne(BSON.deserialize(bytes));
    const reply = await t.run({ find: 'items', filter: { _id: 100 } });
    expect(Buffer.from(BSON.serialize(reply.cursor.firstBatch[0])).equals(Buffer.from(bytes))).toBe(true);
  });
});

describe('update', () => {
  beforeEach(async () => {
    await coll.insertMany([{ _id: 1, x: 1, arr: [1, 2, 3] }, { _id: 2, x: 2, arr: [] }]);
  });

  it('updates many and counts matched and modified separately', async () => {
    const result = await coll.updateMany({}, { $set: { x: 2 } });
    expect(result.matchedCount).toBe(2);
    expect(result.modifiedCount).toBe(1);
  });

  it('upserts from equality fields of the filter with $setOnInsert', async () => {
    const result = await coll.updateOne({ name: 'n', 'sub.k': 3, age: { $gt: 5 } }, { $set: { y: 1 }, $setOnInsert: { created: true } }, { upsert: true });
    expect(result.upsertedCount).toBe(1);
    const doc = await coll.findOne({ _id: result.upsertedId as never });
    expect(doc).toMatchObject({ name: 'n', sub: { k: 3 }, y: 1, created: true });
    expect(doc).not.toHaveProperty('age');
  });

  it('ignores $setOnInsert when updating an existing document', async () => {
    await coll.updateOne({ _id: 1 }, { $set: { y: 1 }, $setOnInsert: { created: true } }, { upsert: true });
    expect(await coll.findOne({ _id: 1 })).not.toHaveProperty('created');
  });

  it('replaces documents keeping _id', async () => {
    await coll.replaceOne({ _id: 1 }, { z: 9 });
    expect(await coll.findOne({ _id: 1 })).toEqual({ _id: 1, z: 9 });
  });

  it('applies arrayFilters', async () => {
    await coll.updateOne({ _id: 1 }, { $set: { 'arr.$[big]': 0 } }, { arrayFilters: [{ big: { $gte: 2 } }] });
    expect((await coll.findOne({ _id: 1 }))?.arr).toEqual([1, 0, 0]);
  });

  it('applies the positional operator from the query', async () => {
    await coll.updateOne({ _id: 1, arr: 2 }, { $set: { 'arr.$': 20 } });
    expect((await coll.findOne({ _id: 1 }))?.arr).toEqual([1, 20, 3]);
  });

  it('runs pipeline updates', async () => {
    await coll.updateOne({ _id: 1 }, [{ $set: { total: { $sum: '$arr' } } }, { $unset: 'arr' }]);
    expect(await coll.findOne({ _id: 1 })).toEqual({ _id: 1, x: 1, total: 6 });
  });

  it('refuses sort in update statements like 7.0 (an 8.0 field), before writing anything', async () => {
    const reply = await t.run({ update: 'items', updates: [{ q: { _id: 1 }, u: { $set: { picked: true } } }, { q: {}, u: { $set: { picked: true } }, sort: { x: -1 } }] });
    expect(reply).toMatchObject({ ok: 0, code: 40415, codeName: 'Location40415', errmsg: "BSON field 'update.updates.sort' is an unknown field." });
    expect(await coll.countDocuments({ picked: true })).toBe(0);
  });

  it('supports $push modifiers, $addToSet, $pull, $pop, $rename, $unset, $min, $max, $currentDate', async () => {
    await coll.updateOne({ _id: 1 }, { $push: { arr: { $each: [9, 0], $sort: 1, $slice: 4 } } } as Document);
    expect((await coll.findOne({ _id: 1 }))?.arr).toEqual([0, 1, 2, 3]);
    await coll.updateOne({ _id: 1 }, { $addToSet: { arr: { $each: [3, 4] } } });
    await coll.updateOne({ _id: 1 }, { $pull: { arr: { $lt: 2 } } } as Document);
    await coll.updateOne({ _id: 1 }, { $pop: { arr: -1 } });
    expect((await coll.findOne({ _id: 1 }))?.arr).toEqual([3, 4]);
    await coll.updateOne({ _id: 1 }, { $rename: { x: 'renamed' }, $min: { low: 5 }, $max: { high: 5 }, $currentDate: { at: true } });
    await coll.updateOne({ _id: 1 }, { $min: { low: 3 }, $max: { high: 2 }, $unset: { arr: '' } });
    const doc = await coll.findOne({ _id: 1 });
    expect(doc).toMatchObject({ renamed: 1, low: 3, high: 5 });
    expect(doc?.at).toBeInstanceOf(Date);
    expect(doc).not.toHaveProperty('arr');
  });

  it('evaluates let variables once as expressions', async () => {
    await coll.updateMany({ _id: { $in: [1, 2] } }, [{ $set: { y: '$$bar' } }], { let: { bar: { $literal: '$notAPath' } } });
    expect((await coll.find().toArray()).map((d) => d.y)).toEqual(['$notAPath', '$notAPath']);
  });

  it('keeps _id when a pipeline replaces the root', async () => {
    await coll.updateOne({ _id: 1 }, [{ $replaceRoot: { newRoot: { only: '$x' } } }]);
    expect(await coll.findOne({ _id: 1 })).toEqual({ _id: 1, only: 1 });
  });

  it('applies unacknowledged (w: 0) writes without a reply', async () => {
    const result = await coll.insertOne({ _id: 99, quiet: true }, { writeConcern: { w: 0 } });
    expect(result.acknowledged).toBe(false);
    expect(await coll.findOne({ _id: 99 })).toEqual({ _id: 99, quiet: true });
  });

  it('applies new fields in lexicographic path order', async () => {
    await coll.updateOne({ _id: 2 }, { $set: { zeta: 1, alpha: 1 } });
    expect(Object.keys((await coll.findOne({ _id: 2 })) ?? {})).toEqual(['_id', 'x', 'arr', 'alpha', 'zeta']);
  });
});

describe('update errors', () => {
  beforeEach(async () => {
    await coll.insertMany([{ _id: 1, x: 1, s: 'text' }]);
  });

  const updateError = async (u: unknown, extra: Document = {}) => {
    const reply = await t.run({ update: 'items', updates: [{ q: { _id: 1 }, u, ...extra }] });
    expect(reply.ok).toBe(1);
    return reply.writeErrors?.[0];
  };

  it('refuses changing _id with ImmutableField (66)', async () => {
    expect((await updateError({ $set: { _id: 2 } })).code).toBe(66);
    expect((await updateError({ _id: 3, x: 1 })).code).toBe(66);
  });

  it('refuses unknown modifiers with FailedToParse (9)', async () => {
    const error = await updateError({ $bogus: { x: 1 } });
    expect(error.code).toBe(9);
    expect(error.errmsg).toContain('Unknown modifier: $bogus');
  });

  it('refuses $inc on a string with TypeMismatch (14)', async () => {
    const error = await updateError({ $inc: { s: 1 } });
    expect(error.code).toBe(14);
    expect(error.errmsg).toBe("Cannot apply $inc to a value of non-numeric type. {_id: 1} has the field 's' of non-numeric type string");
  });

  it('refuses conflicting paths (40)', async () => {
    const error = await updateError({ $set: { 'a.b': 1 }, $inc: { a: 1 } });
    expect(error.code).toBe(40);
  });

  it('refuses creating a field inside a scalar (28)', async () => {
    expect((await updateError({ $set: { 'x.y': 1 } })).code).toBe(28);
  });

  it('refuses a positional operator the query cannot resolve (2)', async () => {
    expect((await updateError({ $set: { 'arr.$': 1 } })).code).toBe(2);
  });

  it('refuses an unused array filter (9)', async () => {
    expect((await updateError({ $set: { x: 1 } }, { arrayFilters: [{ i: 1 }] })).code).toBe(9);
  });

  it('refuses multi with a replacement document (9)', async () => {
    expect((await updateError({ x: 2 }, { multi: true })).code).toBe(9);
  });
});

describe('delete', () => {
  beforeEach(async () => {
    await coll.insertMany([{ _id: 1, k: 1 }, { _id: 2, k: 1 }, { _id: 3, k: 2 }]);
  });

  it('deletes one or many', async () => {
    expect((await coll.deleteOne({ k: 1 })).deletedCount).toBe(1);
    expect((await coll.deleteMany({})).deletedCount).toBe(2);
  });

  it('refuses a limit other than 0 or 1', async () => {
    const reply = await t.run({ delete: 'items', deletes: [{ q: {}, limit: 2 }] });
    expect(reply.writeErrors[0].code).toBe(9);
  });

  it('refuses an unknown statement field before deleting anything (40415)', async () => {
    const reply = await t.run({ delete: 'items', deletes: [{ q: { _id: 1 }, limit: 1 }, { q: {}, limit: 0, sort: { k: 1 } }] });
    expect(reply).toMatchObject({ ok: 0, code: 40415, errmsg: "BSON field 'delete.deletes.sort' is an unknown field." });
    expect(await coll.countDocuments()).toBe(3);
  });
});

describe('count and distinct', () => {
  beforeEach(async () => {
    await coll.insertMany([{ _id: 1, tags: ['a', 'b'] }, { _id: 2, tags: ['b', 'c'] }, { _id: 3, tags: 'd' }]);
  });

  it('counts with and without a query', async () => {
    expect(await coll.estimatedDocumentCount()).toBe(3);
    expect(await coll.countDocuments({ tags: 'b' })).toBe(2);
    expect((await t.run({ count: 'items', query: { tags: 'b' }, limit: 1 })).n).toBe(1);
  });

  it('returns distinct values with arrays unwound', async () => {
    expect(await coll.distinct('tags')).toEqual(['a', 'b', 'c', 'd']);
    expect(await coll.distinct('tags', { _id: { $lt: 3 } })).toEqual(['a', 'b', 'c']);
  });
});
