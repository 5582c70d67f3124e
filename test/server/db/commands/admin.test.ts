import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Loose, type TestServer, againstRealMongo, caught, startTestServer } from './harness.js';

let t: TestServer;

beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());
beforeEach(async () => {
  await t.db.dropDatabase();
});

describe('handshake and server information', () => {
  it('answers hello as a standalone MongoDB 7.0', async () => {
    const reply = await t.run({ hello: 1 }, 'admin');
    expect(reply).toMatchObject({
      isWritablePrimary: true,
      maxWireVersion: 21,
      minWireVersion: 0,
      logicalSessionTimeoutMinutes: 30,
      maxBsonObjectSize: 16777216,
      maxMessageSizeBytes: 48000000,
      maxWriteBatchSize: 100000,
      ok: 1,
    });
    expect(reply.localTime).toBeInstanceOf(Date);
    expect(typeof reply.connectionId).toBe('number');
    expect(reply).not.toHaveProperty('setName');
    expect((await t.run({ isMaster: 1 }, 'admin')).ismaster).toBe(true);
    expect((await t.run({ ismaster: 1 }, 'admin')).ismaster).toBe(true);
  });

  it('reports version 7.0.0 in buildInfo', async () => {
    const reply = await t.run({ buildInfo: 1 }, 'admin');
    // A real 7.0 reports its own patch release; the embedded server claims exactly 7.0.0.
    expect(reply.version).toMatch(againstRealMongo ? /^7\.0\.\d+$/ : /^7\.0\.0$/);
    expect(reply.versionArray.slice(0, 2)).toEqual([7, 0]);
    if (!againstRealMongo) expect(reply.versionArray).toEqual([7, 0, 0, 0]);
  });

  it('answers ping, serverStatus, hostInfo, getParameter, connectionStatus, whatsmyuri, getLog and session commands', async () => {
    expect((await t.run({ ping: 1 })).ok).toBe(1);
    const status = await t.run({ serverStatus: 1 }, 'admin');
    expect(status.version).toMatch(againstRealMongo ? /^7\.0\.\d+$/ : /^7\.0\.0$/);
    expect(status.connections.current).toBeGreaterThan(0);
    expect((await t.run({ hostInfo: 1 }, 'admin')).system.numCores).toBeGreaterThan(0);
    expect((await t.run({ getParameter: 1, featureCompatibilityVersion: 1 }, 'admin')).featureCompatibilityVersion).toEqual({ version: '7.0' });
    expect((await t.run({ getParameter: 1, noSuchParameter: 1 }, 'admin')).code).toBe(72);
    expect((await t.run({ connectionStatus: 1 })).authInfo.authenticatedUsers).toEqual([]);
    expect((await t.run({ whatsmyuri: 1 })).you).toMatch(/:\d+$/);
    // A real mongod usually logs startup warnings (no access control, kernel settings); ours has none.
    const startupWarnings = (await t.run({ getLog: 'startupWarnings' }, 'admin')).log;
    if (againstRealMongo) expect(Array.isArray(startupWarnings)).toBe(true);
    else expect(startupWarnings).toEqual([]);
    expect((await t.run({ endSessions: [] }, 'admin')).ok).toBe(1);
    expect((await t.run({ killSessions: [] }, 'admin')).ok).toBe(1);
  });

  it('answers unknown (and wrongly cased) commands with 59 CommandNotFound', async () => {
    expect(await t.run({ frobnicate: 1 })).toMatchObject({ ok: 0, code: 59, codeName: 'CommandNotFound', errmsg: "no such command: 'frobnicate'" });
    expect((await t.run({ Find: 'x' })).code).toBe(59);
  });

  it('refuses transaction numbers with 20 IllegalOperation', async () => {
    const reply = await t.run({ find: 'x', txnNumber: 1, startTransaction: true, autocommit: false });
    expect(reply).toMatchObject({ ok: 0, code: 20, codeName: 'IllegalOperation', errmsg: 'Transaction numbers are only allowed on a replica set member or mongos' });
  });

  it('refuses a transaction started through the driver with code 20', async () => {
    const client = new MongoClient(t.server.uri, { retryWrites: false });
    const session = client.startSession();
    const err = await caught(() => session.withTransaction(async () => {
      await client.db(t.db.databaseName).collection('tx').insertOne({ a: 1 }, { session });
    }));
    // As against a real standalone, the driver rewords the reply but keeps it as originalError.
    const original = err.originalError as { code?: number; message?: string };
    expect(original.code).toBe(20);
    expect(original.message).toBe('Transaction numbers are only allowed on a replica set member or mongos');
    await session.endSession();
    await client.close();
    expect(await t.db.collection<Loose>('tx').countDocuments()).toBe(0);
  });
});

describe('databases and collections', () => {
  it('lists databases', async () => {
    await t.db.collection<Loose>('a').insertOne({});
    const reply = await t.run({ listDatabases: 1 }, 'admin');
    expect(reply.databases.map((d: { name: string }) => d.name)).toContain(t.db.databaseName);
    expect(typeof reply.totalSize).toBe('number');
    const names = await t.run({ listDatabases: 1, nameOnly: true, filter: { name: t.db.databaseName } }, 'admin');
    expect(names.databases).toEqual([{ name: t.db.databaseName }]);
  });

  it('creates, lists with filter and nameOnly, and drops collections', async () => {
    await t.db.createCollection('one');
    await t.db.createCollection('two');
    expect((await t.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort()).toEqual(['one', 'two']);
    const [info] = await t.db.listCollections({ name: 'one' }).toArray();
    expect(info).toMatchObject({ name: 'one', type: 'collection', options: {}, idIndex: { key: { _id: 1 }, name: '_id_' } });
    expect((await t.run({ create: 'one' })).code).toBe(48);
    expect(await t.db.collection<Loose>('two').drop()).toBe(true);
    expect((await t.run({ drop: 'two' })).ok).toBe(1);
  });

  it('refuses invalid collection names with InvalidNamespace', async () => {
    expect((await t.run({ create: '' })).code).toBe(73);
    expect((await t.run({ insert: 'a$b', documents: [{}] })).code).toBe(73);
  });

  it('renames collections', async () => {
    const ns = (name: string) => `${t.db.databaseName}.${name}`;
    await t.db.collection<Loose>('from').insertOne({ _id: 1 });
    await t.db.collection<Loose>('from').rename('to');
    expect(await t.db.collection<Loose>('to').findOne()).toEqual({ _id: 1 });
    const missing = await t.run({ renameCollection: ns('ghost'), to: ns('x') }, 'admin');
    expect(missing.code).toBe(26);
    await t.db.collection<Loose>('other').insertOne({});
    const exists = await t.run({ renameCollection: ns('to'), to: ns('other') }, 'admin');
    expect(exists.code).toBe(48);
    expect((await t.run({ renameCollection: ns('to'), to: ns('other'), dropTarget: true }, 'admin')).ok).toBe(1);
  });

  it('drops a database', async () => {
    await t.db.collection<Loose>('x').insertOne({});
    expect((await t.run({ dropDatabase: 1 })).dropped).toBe(t.db.databaseName);
    expect(await t.db.listCollections().toArray()).toEqual([]);
  });

  it('reports dbStats and collStats', async () => {
    await t.db.collection<Loose>('s').insertMany([{ a: 1 }, { a: 2 }]);
    expect(await t.run({ dbStats: 1 })).toMatchObject({ db: t.db.databaseName, collections: 1, objects: 2 });
    expect(await t.run({ collStats: 's' })).toMatchObject({ ns: `${t.db.databaseName}.s`, count: 2, nindexes: 1 });
  });
});

describe('document validation', () => {
  it('rejects invalid documents with 121 unless bypassed', async () => {
    await t.db.createCollection('v', { validator: { x: { $type: 'string' } } });
    const coll = t.db.collection<Loose>('v');
    await coll.insertOne({ _id: 1, x: 'ok' } as never);
    const err = await caught(() => coll.insertOne({ _id: 2, x: 5 } as never));
    expect(err.code).toBe(121);
    expect((err.errInfo as { failingDocumentId: number }).failingDocumentId).toBe(2);
    await coll.insertOne({ _id: 3, x: 5 } as never, { bypassDocumentValidation: true });
    const update = await caught(() => coll.updateOne({ _id: 1 }, { $set: { x: 1 } }));
    expect(update.code).toBe(121);
  });

  it('changes validation with collMod, including moderate level and warn action', async () => {
    await t.db.collection<Loose>('m').insertOne({ _id: 1, x: 1 } as never);
    await t.db.command({ collMod: 'm', validator: { x: { $type: 'string' } }, validationLevel: 'moderate' });
    await t.db.collection<Loose>('m').updateOne({ _id: 1 }, { $set: { y: 1 } });
    await t.db.command({ collMod: 'm', validationAction: 'warn', validationLevel: 'strict' });
    await t.db.collection<Loose>('m').insertOne({ _id: 2, x: 1 } as never);
    expect(await t.db.collection<Loose>('m').countDocuments()).toBe(2);
    expect((await t.run({ collMod: 'ghost', validator: {} })).code).toBe(26);
  });
});

// configureFailPoint needs enableTestCommands on a real mongod; this checks our fail point support.
describe.skipIf(againstRealMongo)('fail points', () => {
  it('fails the next matching command with the configured code', async () => {
    await t.run({ configureFailPoint: 'failCommand', mode: { times: 1 }, data: { failCommands: ['insert'], errorCode: 8 } }, 'admin');
    const err = await caught(() => t.db.collection<Loose>('f').insertOne({ a: 1 }));
    expect(err.code).toBe(8);
    await t.db.collection<Loose>('f').insertOne({ a: 1 });
    expect(await t.db.collection<Loose>('f').countDocuments()).toBe(1);
  });
});
