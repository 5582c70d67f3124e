import { Long, type Collection, type Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CursorRegistry } from '../../../../server/db/embedded/commands/cursors.js';
import { type Loose, type TestServer, againstRealMongo, startTestServer } from './harness.js';

let t: TestServer;
let coll: Collection<Loose>;

beforeAll(async () => {
  t = await startTestServer();
  coll = t.db.collection<Loose>('many');
  await coll.insertMany(Array.from({ length: 5000 }, (_, i) => ({ _id: i, i, pad: 'x'.repeat(20) })));
});
afterAll(() => t.close());

describe('cursors over many documents', () => {
  it('iterates 5,000 documents in small batches, in order', async () => {
    const ids: number[] = [];
    for await (const doc of coll.find({}, { batchSize: 7 }).sort({ _id: 1 })) ids.push(doc._id as number);
    expect(ids).toHaveLength(5000);
    expect(ids.every((id, i) => id === i)).toBe(true);
  });

  it('returns 101 documents in a default first batch, the rest through getMore', async () => {
    const first = await t.run({ find: 'many', filter: {} });
    expect(first.cursor.firstBatch).toHaveLength(101);
    expect(first.cursor.ns).toBe(`${t.db.databaseName}.many`);
    const id = first.cursor.id as Long;
    expect(String(id)).not.toBe('0');
    const next = await t.run({ getMore: id, collection: 'many', batchSize: 1000 });
    expect(next.cursor.nextBatch).toHaveLength(1000);
    expect(next.cursor.nextBatch[0]._id).toBe(101);
    const rest = await t.run({ getMore: id, collection: 'many' });
    expect(rest.cursor.nextBatch).toHaveLength(5000 - 1101);
    expect(String(rest.cursor.id) === '0').toBe(true);
  });

  it('closes the cursor with the first batch when limit or singleBatch is reached', async () => {
    const limited = await t.run({ find: 'many', filter: {}, limit: 10, batchSize: 4 });
    expect(limited.cursor.firstBatch).toHaveLength(4);
    const more = await t.run({ getMore: limited.cursor.id, collection: 'many', batchSize: 100 });
    expect(more.cursor.nextBatch).toHaveLength(6);
    expect(String(more.cursor.id) === '0').toBe(true);
    const single = await t.run({ find: 'many', filter: {}, batchSize: 5, singleBatch: true });
    expect(single.cursor.firstBatch).toHaveLength(5);
    expect(String(single.cursor.id) === '0').toBe(true);
  });

  it('opens a cursor with an empty first batch for batchSize 0', async () => {
    const first = await t.run({ find: 'many', filter: { i: { $lt: 3 } }, batchSize: 0 });
    expect(first.cursor.firstBatch).toEqual([]);
    const next = await t.run({ getMore: first.cursor.id, collection: 'many' });
    expect(next.cursor.nextBatch).toHaveLength(3);
  });

  it('kills cursors and reports unknown ones', async () => {
    const first = await t.run({ find: 'many', filter: {}, batchSize: 2 });
    const reply = await t.run({ killCursors: 'many', cursors: [first.cursor.id, Long.fromNumber(12345)] });
    expect(reply.cursorsKilled.map(String)).toEqual([String(first.cursor.id)]);
    expect(reply.cursorsNotFound.map(String)).toEqual(['12345']);
    expect(reply.cursorsAlive).toEqual([]);
    expect(reply.cursorsUnknown).toEqual([]);
    const gone = await t.run({ getMore: first.cursor.id, collection: 'many' });
    expect(gone.code).toBe(43);
    expect(gone.codeName).toBe('CursorNotFound');
  });

  it('refuses getMore from another namespace', async () => {
    const first = await t.run({ find: 'many', filter: {}, batchSize: 2 });
    const reply = await t.run({ getMore: first.cursor.id, collection: 'other' });
    expect(reply.code).toBe(13);
  });

  it('keeps each batch under 16 MiB', async () => {
    const big = t.db.collection<Loose>('big');
    const blob = 'y'.repeat(1024 * 1024);
    await big.insertMany(Array.from({ length: 20 }, (_, i) => ({ _id: i, blob })));
    const first = await t.run({ find: 'big', filter: {}, batchSize: 100 });
    expect(first.cursor.firstBatch.length).toBeGreaterThan(0);
    expect(first.cursor.firstBatch.length).toBeLessThan(16);
    const rest = await t.run({ getMore: first.cursor.id, collection: 'big' });
    expect(first.cursor.firstBatch.length + rest.cursor.nextBatch.length).toBe(20);
  });

  it('pages aggregate results with cursor.batchSize', async () => {
    const docs = await coll.aggregate([{ $match: { i: { $lt: 500 } } }, { $project: { i: 1 } }], { batchSize: 3 }).toArray();
    expect(docs).toHaveLength(500);
  });
});

// Unit tests of the embedded server's cursor registry and its cursorTimeoutMs option.
describe.skipIf(againstRealMongo)('cursor registry', () => {
  it('closes cursors idle longer than the timeout', () => {
    let now = 0;
    const registry = new CursorRegistry(1000, () => now);
    const docs = [Buffer.from('a'), Buffer.from('b'), Buffer.from('c')];
    const { id } = registry.open('db.c', docs[Symbol.iterator](), 1);
    expect(registry.size).toBe(1);
    now = 500;
    expect(registry.get(id)).toBeDefined();
    now = 1400;
    expect(registry.sweep()).toBe(0);
    now = 2600;
    expect(registry.sweep()).toBe(1);
    expect(registry.get(id)).toBeUndefined();
    registry.close();
  });

  it('runs with a configurable timeout per server', async () => {
    const short = await startTestServer({ cursorTimeoutMs: 60_000 });
    const reply = await short.run({ find: 'none', filter: {} });
    expect(String(reply.cursor.id) === '0').toBe(true);
    await short.close();
  });
});
