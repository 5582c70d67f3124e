import * as Y from 'yjs';
import type { Models } from '../models/index.js';
import { batchInserts } from './insertBatcher.js';
import type { CollabPersistence, StoredDocument } from './persistence.js';

/** One stored row of a document's update tail (the ReportUpdate schema). */
interface StoredBatch {
  docName: string;
  updates: Buffer[];
  bytes: number;
  createdAt: Date;
}

/** Stored batches stay well below MongoDB's 16 MB document limit. */
const MAX_BATCH_BYTES = 8 * 1024 * 1024;

/** Bytes of a Buffer/Uint8Array, or of a BSON Binary as `lean()` returns it. */
export function bytesOf(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  const binary = value as { buffer?: Uint8Array; position?: number } | null;
  if (binary && binary.buffer instanceof Uint8Array) {
    return typeof binary.position === 'number' ? binary.buffer.subarray(0, binary.position) : binary.buffer;
  }
  throw new Error('stored collaboration data is not binary');
}

/**
 * One stored update for a batch: loading applies each stored update separately, and Yjs pays a
 * fixed cost per applied update (decoder, transaction bookkeeping, pending-struct checks), so a
 * 10k-edit tail stored one update per edit loaded 10× slower than the same tail merged per save.
 * Merging a save's batch is cheap (its updates are small and mostly consecutive). A batch that
 * does not merge (an update Yjs cannot read) is stored as it came: load skips what is unreadable.
 */
function merged(batch: Uint8Array[]): Uint8Array[] {
  if (batch.length < 2) return batch;
  try {
    return [Y.mergeUpdates(batch)];
  } catch {
    return batch;
  }
}

function batches(updates: readonly Uint8Array[]): Uint8Array[][] {
  const out: Uint8Array[][] = [];
  let current: Uint8Array[] = [];
  let bytes = 0;
  for (const update of updates) {
    if (current.length > 0 && bytes + update.length > MAX_BATCH_BYTES) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(update);
    bytes += update.length;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/**
 * Collaboration persistence in MongoDB through Mongoose: a `ReportSnapshot` per document and an
 * append-only tail of `ReportUpdate` batches (each save's updates merged into one). Compaction writes the snapshot first and then deletes
 * exactly the batches that existed when it started (the save queue never stores while compacting),
 * so a crash in between only leaves updates that the snapshot already contains.
 */
export function mongoPersistence(models: Pick<Models, 'ReportUpdate' | 'ReportSnapshot'>, clock: () => Date = () => new Date()): CollabPersistence {
  // Through the model's collection (the driver), not Model.insertMany: this runs every 500 ms per
  // open report, and Mongoose's document construction, casting and validation of rows we build
  // ourselves were a third of a save's CPU in the fan-out profile. The shape is the schema's.
  // Saves of several documents in one turn become one write (insertBatcher.ts).
  const rows = batchInserts<StoredBatch>((docs, ordered) => models.ReportUpdate.collection.insertMany(docs, { ordered }));
  return {
    async load(docName): Promise<StoredDocument> {
      // Updates first, snapshot second: a compaction running in between then leaves us the new
      // snapshot plus the old tail (a duplicate, harmless), never the old snapshot without the tail.
      const rows = await models.ReportUpdate.find({ docName }).sort({ _id: 1 }).lean();
      const snapshot = await models.ReportSnapshot.findById(docName).lean();
      return {
        snapshot: snapshot ? bytesOf(snapshot.state) : null,
        updates: rows.flatMap((row) => row.updates.map(bytesOf)),
      };
    },

    async storeUpdates(docName, updates) {
      if (updates.length === 0) return 0;
      const now = clock();
      const stored = batches(updates).map((batch) => {
        const merges = merged(batch);
        return {
          docName,
          updates: merges.map((update) => Buffer.from(update.buffer, update.byteOffset, update.length)),
          bytes: merges.reduce((sum, update) => sum + update.length, 0),
          createdAt: now,
        };
      });
      await rows.insert(stored);
      return stored.reduce((sum, row) => sum + row.updates.length, 0);
    },

    async compact(docName, state) {
      const covered = await models.ReportUpdate.find({ docName }, { _id: 1 }).lean();
      await models.ReportSnapshot.updateOne(
        { _id: docName },
        { $set: { state: Buffer.from(state.buffer, state.byteOffset, state.length), bytes: state.length, compactedAt: clock() } },
        { upsert: true },
      );
      if (covered.length > 0) await models.ReportUpdate.deleteMany({ _id: { $in: covered.map((row) => row._id) } });
    },
  };
}
