import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose, { Schema } from 'mongoose';
import { startEmbeddedServerInWorker } from '../../server/db/embedded/worker.js';
import { load1, opsPerSecond, progress, writeResults } from './report.js';

const SIZES = [1_000, 100_000];
const SAMPLE = { insert: 2_000, byId: 5_000, byIndex: 5_000, update: 2_000 };

const personSchema = new Schema({ email: { type: String, unique: true }, name: String, institution: String, score: Number });

/**
 * The embedded database through Mongoose, as Godo uses it (worker thread, data on disk, fsync per
 * acknowledged write): single inserts, `_id` lookups, unique-index lookups and updates at 1k and
 * 100k documents. Indexed lookups must not grow with the collection: the 100k/1k ratio is reported.
 */
export async function run(): Promise<void> {
  const rows: (string | number)[][] = [];
  const raw: Record<string, unknown> = {};
  for (const size of SIZES) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'godo-bench-db-'));
    const server = await startEmbeddedServerInWorker({ port: 0, dbpath: dir });
    const connection = await mongoose.createConnection(server.uri, { dbName: 'bench' }).asPromise();
    try {
      const Person = connection.model('Person', personSchema);
      await Person.createIndexes();
      progress(`loading ${size} documents`);
      const ids: mongoose.Types.ObjectId[] = [];
      for (let start = 0; start < size; start += 1_000) {
        const batch = Array.from({ length: Math.min(1_000, size - start) }, (_, k) => ({
          email: `person${start + k}@example.org`, name: `Person ${start + k}`, institution: `Institute ${(start + k) % 97}`, score: (start + k) % 10,
        }));
        const docs = await Person.insertMany(batch, { lean: true });
        for (const doc of docs) ids.push(doc._id as mongoose.Types.ObjectId);
      }
      const pick = (i: number) => (i * 7919) % size;
      // Warm up JIT and connection pool so the first size is not penalised.
      for (let i = 0; i < 500; i++) await Person.findById(ids[pick(i)]).lean();
      progress(`measuring at ${size}`);
      const insert = await opsPerSecond(SAMPLE.insert, (i) => Person.create({ email: `extra${i}@example.org`, name: 'Extra', score: 1 }));
      const byId = await opsPerSecond(SAMPLE.byId, (i) => Person.findById(ids[pick(i)]).lean());
      const byIndex = await opsPerSecond(SAMPLE.byIndex, (i) => Person.findOne({ email: `person${pick(i)}@example.org` }).lean());
      const update = await opsPerSecond(SAMPLE.update, (i) => Person.updateOne({ _id: ids[pick(i)] }, { $inc: { score: 1 } }));
      raw[size] = { insert, byId, byIndex, update };
      rows.push([size.toLocaleString('en'), insert.opsPerSec, byId.opsPerSec, byIndex.opsPerSec, update.opsPerSec, `${byId.meanUs} / ${byIndex.meanUs}`]);
    } finally {
      await connection.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const small = raw[SIZES[0]] as Record<string, { meanUs: number }>;
  const large = raw[SIZES[1]] as Record<string, { meanUs: number }>;
  const ratio = (k: string) => (large[k].meanUs / small[k].meanUs).toFixed(2);
  writeResults(
    'db',
    {
      title: 'Embedded database through Mongoose (worker thread, on disk, fsync per acknowledged write)',
      columns: ['documents', 'insert ops/s', '_id lookup ops/s', 'indexed lookup ops/s', 'update ops/s', 'mean µs (_id / indexed)'],
      rows,
      notes: [
        `100k/1k time ratio: _id lookup ${ratio('byId')}, indexed lookup ${ratio('byIndex')}, update ${ratio('update')} (close to 1: lookups do not scan)`,
        'Each insert and update is acknowledged only after fsync (group commit), so their rate is bounded by the disk.',
        'Regenerate: npm run bench -- db',
      ],
    },
    raw,
    [
      {
        measure: 'embedded database through Mongoose at 100k documents: insert / _id lookup / update ops/s',
        target: '— (lookups must not scan: 100k/1k time ratio ≈ 1)',
        godo: `${(large as unknown as Record<string, { opsPerSec: number }>).insert.opsPerSec} / ${(large as unknown as Record<string, { opsPerSec: number }>).byId.opsPerSec} / ${(large as unknown as Record<string, { opsPerSec: number }>).update.opsPerSec}`,
        peers: '—',
        ratios: `100k/1k: _id ${ratio('byId')}, indexed ${ratio('byIndex')}`,
        verdict: '—',
        load: load1(),
        command: 'npm run bench -- db',
      },
    ],
  );
}
