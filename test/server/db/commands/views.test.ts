import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient, type Collection } from 'mongodb';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmbeddedServer } from '../../../../server/db/embedded/server.js';
import { type Loose, type TestServer, againstRealMongo, caught, startTestServer } from './harness.js';

let t: TestServer;
let cities: Collection<Loose>;

beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());
beforeEach(async () => {
  await t.db.dropDatabase();
  cities = t.db.collection<Loose>('cities');
  await cities.insertMany([
    { _id: 'Oakland', state: 'CA', pop: 3 },
    { _id: 'Palo Alto', state: 'CA', pop: 10 },
    { _id: 'San Francisco', state: 'CA', pop: 4 },
    { _id: 'Trenton', state: 'NJ', pop: 5 },
  ]);
  await t.db.createCollection('california', { viewOn: 'cities', pipeline: [{ $match: { state: 'CA' } }] });
});

describe('creating views', () => {
  it('lists a view with type "view", its definition and readOnly', async () => {
    const [entry] = await t.db.listCollections({ type: 'view' }).toArray();
    expect(entry).toEqual({ name: 'california', type: 'view', options: { viewOn: 'cities', pipeline: [{ $match: { state: 'CA' } }] }, info: { readOnly: true } });
    expect((await t.run({ dbStats: 1 })).views).toBe(1);
  });

  it('refuses a pipeline without viewOn, collection options, $out and cycles', async () => {
    expect(await t.run({ create: 'v', pipeline: [] })).toMatchObject({ ok: 0, codeName: 'BadValue' });
    expect(await t.run({ create: 'v', viewOn: 'cities', validator: { a: 1 } })).toMatchObject({ ok: 0, codeName: 'InvalidOptions', errmsg: 'option not supported on a view: validator' });
    expect(await t.run({ create: 'v', viewOn: 'cities', pipeline: [{ $out: 'x' }] })).toMatchObject({ ok: 0, code: 167 });
    expect(await t.run({ create: 'v', viewOn: 'v' })).toMatchObject({ ok: 0, codeName: 'GraphContainsCycle' });
    expect(await t.run({ create: 'california', viewOn: 'cities' })).toMatchObject({ ok: 0, codeName: 'NamespaceExists' });
  });

  it('redefines a view with collMod and refuses collection options on it', async () => {
    await t.run({ collMod: 'california', pipeline: [{ $match: { state: 'NJ' } }] });
    expect(await t.db.collection('california').countDocuments()).toBe(1);
    expect(await t.run({ collMod: 'california', validator: {} })).toMatchObject({ ok: 0, codeName: 'InvalidOptions' });
    expect(await t.run({ collMod: 'cities', viewOn: 'x' })).toMatchObject({ ok: 0, errmsg: 'option only supported on a view: viewOn' });
  });

  // Restarts the embedded server on its data directory: a check of our storage, not of MongoDB.
  it.skipIf(againstRealMongo)('survives a restart (the definition is persisted as collection options)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'godo-views-'));
    const open = async () => {
      const server = await startEmbeddedServer({ port: 0, dbpath: dir, logger: pino({ level: 'silent' }) });
      const client = await new MongoClient(server.uri).connect();
      return { server, client, db: client.db('persist') };
    };
    try {
      const first = await open();
      await first.db.collection<Loose>('c').insertMany([{ _id: 1 }, { _id: 2 }]);
      await first.db.createCollection('big', { viewOn: 'c', pipeline: [{ $match: { _id: { $gt: 1 } } }] });
      await first.client.close();
      await first.server.close();
      const second = await open();
      expect(await second.db.collection('big').find().toArray()).toEqual([{ _id: 2 }]);
      await second.client.close();
      await second.server.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('reading a view', () => {
  it('runs find options after the view pipeline, with the view namespace on the cursor', async () => {
    const reply = await t.run({ find: 'california', filter: { pop: { $gt: 3 } }, sort: { pop: -1 }, projection: { state: 0 }, batchSize: 1 });
    expect(reply.cursor.ns).toBe(`${t.db.databaseName}.california`);
    expect(reply.cursor.firstBatch).toEqual([{ _id: 'Palo Alto', pop: 10 }]);
    const more = await t.run({ getMore: reply.cursor.id, collection: 'california' });
    expect(more.cursor.nextBatch).toEqual([{ _id: 'San Francisco', pop: 4 }]);
  });

  it('counts, estimates and lists distinct values through the view', async () => {
    const view = t.db.collection<Loose>('california');
    expect(await view.estimatedDocumentCount()).toBe(3);
    expect(await view.countDocuments({ pop: { $lt: 5 } })).toBe(2);
    expect(await view.distinct('state')).toEqual(['CA']);
  });

  it('prepends the view pipeline to aggregate, through views on views and $lookup', async () => {
    await t.db.createCollection('bigCalifornia', { viewOn: 'california', pipeline: [{ $match: { pop: { $gte: 4 } } }, { $project: { pop: 1 } }] });
    const totals = await t.db.collection('bigCalifornia').aggregate([{ $group: { _id: null, total: { $sum: '$pop' } } }]).toArray();
    expect(totals).toEqual([{ _id: null, total: 14 }]);
    const joined = await cities.aggregate([{ $match: { _id: 'Trenton' } }, { $lookup: { from: 'california', pipeline: [{ $count: 'n' }], as: 'ca' } }]).toArray();
    expect(joined[0].ca).toEqual([{ n: 3 }]);
  });
});

describe('writing to a view', () => {
  it('refuses inserts, updates and deletes with CommandNotSupportedOnView (166) per statement', async () => {
    const insert = await t.run({ insert: 'california', documents: [{ x: 1 }] });
    expect(insert.writeErrors[0]).toMatchObject({ index: 0, code: 166, errmsg: `Namespace ${t.db.databaseName}.california is a view, not a collection` });
    const update = await t.run({ update: 'california', updates: [{ q: {}, u: { $set: { x: 1 } }, upsert: true }] });
    expect(update.writeErrors[0].code).toBe(166);
    const remove = await t.run({ delete: 'california', deletes: [{ q: {}, limit: 0 }] });
    expect(remove.writeErrors[0].code).toBe(166);
    expect(await cities.countDocuments()).toBe(4);
  });

  it('refuses findAndModify, index commands and renaming', async () => {
    expect((await caught(() => t.db.collection('california').findOneAndDelete({}))).code).toBe(166);
    expect((await caught(() => t.db.collection('california').createIndex({ pop: 1 }))).code).toBe(166);
    expect((await caught(() => t.db.collection('california').listIndexes().toArray())).code).toBe(166);
    expect(await t.run({ renameCollection: `${t.db.databaseName}.california`, to: `${t.db.databaseName}.other` }, 'admin')).toMatchObject({ ok: 0, code: 166 });
    expect(await t.run({ renameCollection: `${t.db.databaseName}.cities`, to: `${t.db.databaseName}.california`, dropTarget: true }, 'admin')).toMatchObject({ ok: 0, codeName: 'NamespaceExists' });
  });

  it('refuses a view as the target of $out and $merge', async () => {
    expect((await caught(() => cities.aggregate([{ $out: 'california' }]).toArray())).code).toBe(166);
    expect((await caught(() => cities.aggregate([{ $merge: 'california' }]).toArray())).code).toBe(166);
  });

  it('drops a view without touching its source', async () => {
    expect(await t.db.collection('california').drop()).toBe(true);
    expect(await t.db.listCollections().toArray()).toHaveLength(1);
    expect(await cities.countDocuments()).toBe(4);
  });
});
