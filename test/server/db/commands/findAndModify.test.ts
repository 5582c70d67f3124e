import type { Collection, Document } from 'mongodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Loose, type TestServer, startTestServer } from './harness.js';

let t: TestServer;
let coll: Collection<Loose>;

beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());
beforeEach(async () => {
  await t.db.dropDatabase();
  coll = t.db.collection<Loose>('fam');
  await coll.insertMany([{ _id: 1, x: 11, k: 'a' }, { _id: 2, x: 22, k: 'a' }, { _id: 3, x: 33, k: 'b' }]);
});

describe('findAndModify', () => {
  it('returns the document before the update by default and after with new', async () => {
    const before = await t.run({ findAndModify: 'fam', query: { _id: 1 }, update: { $inc: { x: 1 } } });
    expect(before.value).toEqual({ _id: 1, x: 11, k: 'a' });
    expect(before.lastErrorObject).toEqual({ n: 1, updatedExisting: true });
    const after = await t.run({ findAndModify: 'fam', query: { _id: 1 }, update: { $inc: { x: 1 } }, new: true });
    expect(after.value.x).toBe(13);
  });

  it('picks the first document in sort order and applies fields', async () => {
    const reply = await t.run({ findAndModify: 'fam', query: { k: 'a' }, sort: { x: -1 }, update: { $set: { hit: true } }, fields: { x: 1 } });
    expect(reply.value).toEqual({ _id: 2, x: 22 });
  });

  it('removes and returns the removed document', async () => {
    const reply = await t.run({ findAndModify: 'fam', query: { k: 'b' }, remove: true });
    expect(reply.value).toEqual({ _id: 3, x: 33, k: 'b' });
    expect(reply.lastErrorObject).toEqual({ n: 1 });
    expect(await coll.countDocuments()).toBe(2);
  });

  it('upserts and reports the new _id', async () => {
    const reply = await t.run({ findAndModify: 'fam', query: { _id: 9 }, update: { $set: { x: 99 } }, upsert: true, new: true });
    expect(reply.lastErrorObject).toEqual({ n: 1, updatedExisting: false, upserted: 9 });
    expect(reply.value).toEqual({ _id: 9, x: 99 });
    const old = await t.run({ findAndModify: 'fam', query: { _id: 10 }, update: { $set: { x: 1 } }, upsert: true });
    expect(old.value).toBeNull();
  });

  it('returns null with n 0 when nothing matches', async () => {
    const reply = await t.run({ findAndModify: 'fam', query: { _id: 42 }, update: { $set: { x: 1 } } });
    expect(reply.value).toBeNull();
    expect(reply.lastErrorObject).toEqual({ n: 0, updatedExisting: false });
  });

  it('replaces and runs pipeline updates', async () => {
    const replaced = await t.run({ findAndModify: 'fam', query: { _id: 1 }, update: { y: 1 }, new: true });
    expect(replaced.value).toEqual({ _id: 1, y: 1 });
    const piped = await t.run({ findAndModify: 'fam', query: { _id: 2 }, update: [{ $set: { x2: { $multiply: ['$x', 2] } } }], new: true });
    expect(piped.value.x2).toBe(44);
  });

  it('works through the driver helpers', async () => {
    const updated = await coll.findOneAndUpdate({ _id: 1 }, { $set: { x: 0 } }, { returnDocument: 'after' });
    expect(updated?.x).toBe(0);
    const replaced = await coll.findOneAndReplace({ _id: 2 }, { z: 1 }, { returnDocument: 'before' });
    expect(replaced?.x).toBe(22);
    const deleted = await coll.findOneAndDelete({ _id: 3 });
    expect(deleted?._id).toBe(3);
  });

  it('refuses contradictory options with FailedToParse', async () => {
    expect((await t.run({ findAndModify: 'fam', query: {}, remove: true, update: { $set: { x: 1 } } })).code).toBe(9);
    expect((await t.run({ findAndModify: 'fam', query: {}, remove: true, new: true })).code).toBe(9);
    expect((await t.run({ findAndModify: 'fam', query: {} })).code).toBe(9);
  });

  it('reports duplicate keys as a command error with keyPattern and keyValue', async () => {
    await coll.createIndex({ x: 1 }, { unique: true });
    const reply = await t.run({ findAndModify: 'fam', query: { _id: 1 }, update: { $set: { x: 22 } } });
    expect(reply.ok).toBe(0);
    expect(reply.code).toBe(11000);
    expect(reply.keyPattern).toEqual({ x: 1 });
    expect(reply.keyValue).toEqual({ x: 22 });
  });

  it('refuses changing _id with ImmutableField', async () => {
    const reply = await t.run({ findAndModify: 'fam', query: { _id: 1 }, update: { $set: { _id: 5 } } });
    expect(reply.code).toBe(66);
  });
});
