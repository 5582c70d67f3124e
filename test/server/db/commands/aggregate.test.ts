import { Int32, Long, ObjectId, type Document } from 'mongodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Loose, type TestServer, startTestServer } from './harness.js';

let t: TestServer;
const users = [new ObjectId(), new ObjectId()];

beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());
beforeEach(async () => {
  await t.db.dropDatabase();
  await t.db.collection<Loose>('users').insertMany([
    { _id: users[0], name: 'ann' },
    { _id: users[1], name: 'bob' },
  ]);
  await t.db.collection<Loose>('reviews').insertMany([
    { _id: 1, user: users[0], score: 3, tags: ['a', 'b'] },
    { _id: 2, user: users[0], score: 5, tags: ['b'] },
    { _id: 3, user: users[1], score: 4, tags: [] },
  ]);
});

const aggregate = (pipeline: Document[], coll = 'reviews') => t.db.collection<Loose>(coll).aggregate(pipeline).toArray();
const run = (pipeline: unknown, coll: unknown = 'reviews') => t.run({ aggregate: coll, pipeline, cursor: {} });

describe('aggregate stages', () => {
  it('groups, sorts and unwinds', async () => {
    expect(await aggregate([{ $group: { _id: '$user', total: { $sum: '$score' } } }, { $sort: { total: -1 } }])).toEqual([
      { _id: users[0], total: 8 },
      { _id: users[1], total: 4 },
    ]);
    expect(await aggregate([{ $unwind: '$tags' }, { $group: { _id: '$tags', n: { $sum: 1 } } }, { $sort: { _id: 1 } }])).toEqual([
      { _id: 'a', n: 1 },
      { _id: 'b', n: 2 },
    ]);
  });

  it('joins another collection with $lookup on ObjectIds', async () => {
    const docs = await aggregate([{ $match: { _id: 3 } }, { $lookup: { from: 'users', localField: 'user', foreignField: '_id', as: 'author' } }]);
    expect(docs[0].author).toEqual([{ _id: users[1], name: 'bob' }]);
  });

  it('joins with a $lookup pipeline and let', async () => {
    const docs = await aggregate(
      [{ $lookup: { from: 'reviews', let: { uid: '$_id' }, pipeline: [{ $match: { $expr: { $eq: ['$user', '$$uid'] } } }, { $count: 'n' }], as: 'stats' } }, { $sort: { name: 1 } }],
      'users',
    );
    expect(docs.map((d) => d.stats)).toEqual([[{ n: 2 }], [{ n: 1 }]]);
  });

  it('writes results with $out, replacing the target and keeping its indexes', async () => {
    await t.db.collection<Loose>('report').insertOne({ _id: 'stale' });
    await t.db.collection<Loose>('report').createIndex({ total: 1 });
    const reply = await run([{ $group: { _id: '$user', total: { $sum: '$score' } } }, { $out: 'report' }]);
    expect(reply.cursor.firstBatch).toEqual([]);
    const report = await t.db.collection<Loose>('report').find().sort({ total: 1 }).toArray();
    expect(report.map((d) => d.total)).toEqual([4, 8]);
    expect((await t.db.collection<Loose>('report').indexes()).map((i) => i.name)).toEqual(['_id_', 'total_1']);
  });

  it('keeps the $out target untouched when the output violates a unique index', async () => {
    await t.db.collection<Loose>('report').insertOne({ _id: 'kept', total: 1 });
    await t.db.collection<Loose>('report').createIndex({ user: 1 }, { unique: true });
    const reply = await run([{ $project: { user: 1 } }, { $out: 'report' }]);
    expect(reply.code).toBe(11000);
    expect(await t.db.collection<Loose>('report').find().toArray()).toEqual([{ _id: 'kept', total: 1 }]);
  });

  it('merges results with the default whenMatched merge / whenNotMatched insert', async () => {
    await t.db.collection<Loose>('totals').insertOne({ _id: users[0], note: 'keep me', total: 0 });
    await run([{ $group: { _id: '$user', total: { $sum: '$score' } } }, { $merge: { into: 'totals' } }]);
    const totals = await t.db.collection<Loose>('totals').find().toArray();
    expect(totals).toEqual([
      { _id: users[0], note: 'keep me', total: 8 },
      { _id: users[1], total: 4 },
    ]);
  });

  it('supports replace, keepExisting, discard and fail modes of $merge', async () => {
    await t.db.collection<Loose>('t2').insertOne({ _id: 1, old: true });
    await run([{ $match: { _id: 1 } }, { $project: { score: 1 } }, { $merge: { into: 't2', whenMatched: 'replace' } }]);
    expect(await t.db.collection<Loose>('t2').findOne({ _id: 1 })).toEqual({ _id: 1, score: 3 });
    await run([{ $project: { score: 1 } }, { $merge: { into: 't2', whenMatched: 'keepExisting', whenNotMatched: 'discard' } }]);
    expect(await t.db.collection<Loose>('t2').countDocuments()).toBe(1);
    const failed = await run([{ $match: { _id: 1 } }, { $merge: { into: 't2', whenMatched: 'fail' } }]);
    expect(failed).toMatchObject({ ok: 0, code: 11000, keyPattern: { _id: 1 }, keyValue: { _id: 1 } });
    const missing = await run([{ $match: { _id: 2 } }, { $merge: { into: 't2', whenNotMatched: 'fail' } }]);
    expect(missing.code).toBe(13113);
  });

  it('runs database-level pipelines starting with $documents', async () => {
    const reply = await t.run({ aggregate: 1, pipeline: [{ $documents: [{ x: 1 }, { x: 2 }] }, { $match: { x: 2 } }], cursor: {} });
    expect(reply.cursor.firstBatch).toEqual([{ x: 2 }]);
  });

  it('lists the caller\'s session with $listLocalSessions', async () => {
    const docs = await t.client.db('admin').aggregate([{ $listLocalSessions: {} }, { $limit: 1 }, { $project: { _id: 0, dummy: 'x' } }]).toArray();
    expect(docs).toEqual([{ dummy: 'x' }]);
  });

  it('passes stored documents through unchanged stages with their exact types', async () => {
    await t.db.collection<Loose>('typed').insertOne({ _id: 1, l: Long.fromNumber(2), i: new Int32(3) });
    const [doc] = await t.db.collection<Loose>('typed').aggregate([{ $match: { _id: 1 } }], { promoteValues: false, promoteLongs: false }).toArray();
    expect(doc.l).toEqual(Long.fromNumber(2));
  });

  it('counts documents for countDocuments', async () => {
    expect(await t.db.collection<Loose>('reviews').countDocuments({ score: { $gte: 4 } })).toBe(2);
  });

  it('returns a minimal explain', async () => {
    const reply = await t.run({ aggregate: 'reviews', pipeline: [{ $match: {} }], explain: true });
    expect(reply.ok).toBe(1);
    expect(reply.queryPlanner.namespace).toBe(`${t.db.databaseName}.reviews`);
  });
});

describe('pipeline validation', () => {
  it('refuses unknown stages with 40324', async () => {
    const reply = await run([{ $bogus: {} }]);
    expect(reply).toMatchObject({ ok: 0, code: 40324, errmsg: "Unrecognized pipeline stage name: '$bogus'" });
  });

  it('refuses malformed stages with 40323', async () => {
    expect((await run([{ $match: {}, $limit: 1 }])).code).toBe(40323);
  });

  it('checks $limit, $skip and $sample arguments', async () => {
    expect((await run([{ $limit: 0 }])).code).toBe(15958);
    expect((await run([{ $limit: 'x' }])).code).toBe(15957);
    expect((await run([{ $skip: -1 }])).code).toBe(5107200);
    expect((await run([{ $sample: { size: -1 } }])).code).toBe(28747);
    expect((await run([{ $sample: { size: 'x' } }])).code).toBe(28746);
    expect((await run([{ $sample: {} }])).code).toBe(28749);
  });

  it('checks $group, $sort and $unwind arguments', async () => {
    expect((await run([{ $group: { total: { $sum: 1 } } }])).code).toBe(15955);
    expect((await run([{ $sort: { x: 2 } }])).code).toBe(15975);
    expect((await run([{ $unwind: 'tags' }])).code).toBe(28818);
  });

  it('requires $out and $merge to be last, and a cursor option', async () => {
    expect((await run([{ $out: 'x' }, { $match: {} }])).code).toBe(40601);
    expect((await t.run({ aggregate: 'reviews', pipeline: [] })).code).toBe(9);
  });

  it('refuses a non-array pipeline with TypeMismatch', async () => {
    expect((await run({ $match: {} })).code).toBe(14);
  });

  it('samples the requested number of documents', async () => {
    expect(await aggregate([{ $sample: { size: 2 } }])).toHaveLength(2);
  });
});
