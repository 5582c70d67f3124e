import mongoose from 'mongoose';
import { pino } from 'pino';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchInserts } from '../../../server/collab/insertBatcher.js';
import { DEFAULT_COLLAB_LIMITS } from '../../../server/collab/limits.js';
import { bytesOf, mongoPersistence } from '../../../server/collab/mongoPersistence.js';
import type { CollabPersistence } from '../../../server/collab/persistence.js';
import { TimerGrid } from '../../../server/collab/timerGrid.js';
import { SaveQueue } from '../../../server/collab/saveQueue.js';
import type { RunningGodo } from '../../../server/index.js';
import { startTestGodo } from '../../helpers/godo.js';

let godo: RunningGodo;
beforeAll(async () => {
  godo = await startTestGodo();
});
afterAll(async () => {
  await godo?.close();
});

/** Counts the insertMany commands sent to `collection` while `task` runs. */
async function countInserts(collection: string, task: () => Promise<void>): Promise<number> {
  let inserts = 0;
  mongoose.set('debug', (name: string, method: string) => {
    if (name === collection && method === 'insertMany') inserts += 1;
  });
  try {
    await task();
  } finally {
    mongoose.set('debug', false);
  }
  return inserts;
}

function updateWith(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

describe('saves of several documents in one turn are one database write', () => {
  it('stores three documents\' updates with one insert, each readable on its own', async () => {
    const persistence = mongoPersistence(godo.models);
    const names = ['report:batch-a', 'report:batch-b', 'report:batch-c'];
    const inserts = await countInserts('reportUpdates', async () => {
      await Promise.all(names.map((name) => persistence.storeUpdates(name, [updateWith(name)])));
    });
    expect(inserts).toBe(1);
    for (const name of names) {
      const stored = await persistence.load(name);
      const doc = new Y.Doc();
      for (const update of stored.updates) Y.applyUpdate(doc, update);
      expect(doc.getText('t').toString()).toBe(name);
    }
  });

  it('fails only the caller whose row the database refused', async () => {
    const collection = godo.models.ReportUpdate.db.collection('batcherProbe');
    await collection.createIndex({ key: 1 }, { unique: true });
    const batcher = batchInserts<{ key: number; from: string }>((rows, ordered) => collection.insertMany(rows, { ordered }));
    const [first, duplicate, third] = await Promise.allSettled([
      batcher.insert([{ key: 1, from: 'first' }]),
      batcher.insert([{ key: 1, from: 'duplicate' }]),
      batcher.insert([
        { key: 2, from: 'third' },
        { key: 3, from: 'third' },
      ]),
    ]);
    expect(first.status).toBe('fulfilled');
    expect(duplicate.status).toBe('rejected');
    expect(String((duplicate as PromiseRejectedResult).reason)).toMatch(/E11000|duplicate key/);
    expect(third.status).toBe('fulfilled');
    const stored = await collection.find({}, { projection: { _id: 0 } }).sort({ key: 1 }).toArray();
    expect(stored).toEqual([
      { key: 1, from: 'first' },
      { key: 2, from: 'third' },
      { key: 3, from: 'third' },
    ]);
  });

  it('lets save queues edited at different moments of one save delay save in one turn, within the delay', async () => {
    const limits = { ...DEFAULT_COLLAB_LIMITS, saveDelayMs: 400 };
    const grid = new TimerGrid();
    const calls: { docName: string; at: number; sameTurn: boolean }[] = [];
    let sealed = false;
    const recording: CollabPersistence = {
      load: async () => ({ snapshot: null, updates: [] }),
      storeUpdates: async (docName) => {
        // The first store of the turn seals it once the turn is over: later stores are another turn.
        if (calls.length === 0) setImmediate(() => (sealed = true));
        calls.push({ docName, at: Date.now(), sameTurn: !sealed });
        return 1;
      },
      compact: async () => undefined,
    };
    const idle: Promise<void>[] = [];
    const queue = (docName: string) => {
      let resolveIdle!: () => void;
      idle.push(new Promise<void>((resolve) => (resolveIdle = resolve)));
      return new SaveQueue(
        { docName, persistence: recording, logger: pino({ level: 'silent' }), limits, grid, encodeState: () => new Uint8Array(), onIdle: () => resolveIdle() },
        { updates: 0, bytes: 0 },
      );
    };
    const queues = ['report:grid-a', 'report:grid-b', 'report:grid-c'].map(queue);
    // Three edits at three moments of one 400 ms grid cell (each save timer is set from its own
    // moment, in its own callback): two early, one at the middle. A grid of half the delay put
    // the third in the next half-cell's save, a separate database write.
    while (Date.now() % 400 > 50) await new Promise<void>((resolve) => setImmediate(resolve));
    const firstAt = Date.now();
    queues[0].enqueue(updateWith('a'));
    await new Promise<void>((resolve) => setImmediate(resolve));
    queues[1].enqueue(updateWith('b'));
    // A later moment of the same cell (200 ms on, half the delay), reached turn by turn.
    while (Date.now() < firstAt + 200) await new Promise<void>((resolve) => setImmediate(resolve));
    queues[2].enqueue(updateWith('c'));
    expect(grid.pendingSlots).toBe(1);
    await Promise.all(idle);
    expect(calls.map((c) => c.docName).sort()).toEqual(['report:grid-a', 'report:grid-b', 'report:grid-c']);
    expect(calls.every((c) => c.sameTurn)).toBe(true);
    for (const call of calls) expect(call.at - firstAt).toBeLessThanOrEqual(limits.saveDelayMs + 50);
    for (const q of queues) q.stop();
  });

  it('counts the stored tail as loading will read it: a save of many edits is one stored update', async () => {
    const docName = 'report:tail-count';
    const limits = { ...DEFAULT_COLLAB_LIMITS, compactAfterUpdates: 20, saveDelayMs: 60_000 };
    const source = new Y.Doc();
    const edits: Uint8Array[] = [];
    source.on('update', (update: Uint8Array) => edits.push(update));
    const queue = new SaveQueue(
      { docName, persistence: mongoPersistence(godo.models), logger: pino({ level: 'silent' }), limits, encodeState: () => Y.encodeStateAsUpdate(source), onIdle: () => undefined },
      { updates: 0, bytes: 0 },
    );
    const type = (n: number) => {
      for (let i = 0; i < n; i++) source.getText('t').insert(0, 'x');
      for (const edit of edits.splice(0)) queue.enqueue(edit);
    };
    // 100 keystrokes in one save: merged into one stored update, far from the limit of 20.
    type(100);
    await queue.flush();
    expect(queue.storedTail.updates).toBe(1);
    expect(await godo.models.ReportSnapshot.findById(docName).lean()).toBeNull();
    expect(await godo.models.ReportUpdate.countDocuments({ docName })).toBe(1);
    // 20 more saves of one keystroke each pass it: the tail is compacted into a snapshot.
    for (let i = 0; i < 20; i++) {
      type(1);
      await queue.flush();
    }
    expect(queue.storedTail.updates).toBe(0);
    expect(await godo.models.ReportUpdate.countDocuments({ docName })).toBe(0);
    const snapshot = await godo.models.ReportSnapshot.findById(docName).lean();
    const restored = new Y.Doc();
    Y.applyUpdate(restored, bytesOf(snapshot!.state));
    expect(restored.getText('t').length).toBe(120);
    queue.stop();
  });
});
