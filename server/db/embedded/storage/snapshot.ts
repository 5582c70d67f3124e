import { open, readFile, rename } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { BSON } from 'bson';
import type { Document } from 'bson';
import { frameRecord, parseRecords, serializeBson, syncDirectory } from './wal';
import type { CollectionOptions, IndexSpec } from './types';

/*
 * A snapshot is a sequence of framed records (the same `[length][crc32][payload]` framing as
 * the log): a header, then per collection one catalog record followed by one record per
 * document whose payload is the document's own BSON bytes, then a trailer. A snapshot is valid
 * only if every checksum holds and the trailer is present, so a partial file is never loaded.
 */

const FORMAT_VERSION = 1;
/** Bytes gathered before one write call; large enough to amortise syscalls, small enough to stream. */
const WRITE_CHUNK_BYTES = 4 * 1024 * 1024;

/** One collection as captured for a snapshot. */
export interface SnapshotCollection {
  db: string;
  name: string;
  options: CollectionOptions;
  indexes: IndexSpec[];
  /** Raw BSON of each document in natural order. */
  docs: Buffer[];
}

/** File name of the snapshot of `generation`. */
export function snapshotFileName(generation: number): string {
  return `snapshot-${generation}.bin`;
}

/** File name of a snapshot being written. */
export function snapshotTempName(generation: number): string {
  return `snapshot-${generation}.tmp`;
}

class ChunkedWriter {
  private chunks: Buffer[] = [];
  private pending = 0;
  bytes = 0;

  constructor(private readonly handle: FileHandle) {}

  async add(buf: Buffer): Promise<void> {
    this.chunks.push(buf);
    this.pending += buf.length;
    this.bytes += buf.length;
    if (this.pending >= WRITE_CHUNK_BYTES) await this.drain();
  }

  async addRecord(payload: Buffer): Promise<void> {
    await this.add(frameRecord(payload));
    await this.add(payload);
  }

  async drain(): Promise<void> {
    const data = Buffer.concat(this.chunks);
    this.chunks = [];
    this.pending = 0;
    for (let offset = 0; offset < data.length; ) {
      offset += (await this.handle.write(data, offset, data.length - offset)).bytesWritten;
    }
  }
}

/**
 * Writes `snapshot-<generation>.tmp` and fsyncs it. The file is not visible to recovery until
 * {@link publishSnapshot} renames it. Returns its size in bytes.
 */
export async function writeSnapshotTemp(dir: string, generation: number, collections: SnapshotCollection[]): Promise<number> {
  const handle = await open(join(dir, snapshotTempName(generation)), 'w');
  try {
    const out = new ChunkedWriter(handle);
    let documents = 0;
    await out.addRecord(serializeBson({ snapshot: FORMAT_VERSION, generation, collections: collections.length }));
    for (const c of collections) {
      const catalog = { db: c.db, name: c.name, options: c.options, indexes: c.indexes, documents: c.docs.length };
      await out.addRecord(serializeBson({ collection: catalog }));
      for (const raw of c.docs) await out.addRecord(raw);
      documents += c.docs.length;
    }
    await out.addRecord(serializeBson({ end: true, documents }));
    await out.drain();
    await handle.sync();
    return out.bytes;
  } finally {
    await handle.close();
  }
}

/** Atomically renames the fsynced temp file to `snapshot-<generation>.bin` and makes the rename durable. */
export async function publishSnapshot(dir: string, generation: number): Promise<void> {
  await rename(join(dir, snapshotTempName(generation)), join(dir, snapshotFileName(generation)));
  await syncDirectory(dir);
}

/**
 * Reads a snapshot. Throws an Error describing the defect when the file is truncated, fails a
 * checksum, or its records do not form header, collections and trailer.
 */
export async function readSnapshot(path: string): Promise<{ collections: SnapshotCollection[]; bytes: number }> {
  const buf = await readFile(path);
  const parsed = parseRecords(buf, (payload) => payload);
  if (parsed.problem) throw new Error(`${path}: ${parsed.problem} at byte ${parsed.validBytes}`);
  const records = parsed.items;
  let next = 0;
  const take = (): Document => {
    if (next >= records.length) throw new Error(`${path}: ends before its trailer`);
    return BSON.deserialize(records[next++]);
  };
  const header = take();
  if (header.snapshot !== FORMAT_VERSION) throw new Error(`${path}: not a version ${FORMAT_VERSION} snapshot`);
  const collections: SnapshotCollection[] = [];
  for (let i = 0; i < header.collections; i++) {
    const catalog = take().collection as Document | undefined;
    if (!catalog || typeof catalog.documents !== 'number') throw new Error(`${path}: bad collection record`);
    if (next + catalog.documents > records.length) throw new Error(`${path}: ends inside ${catalog.db}.${catalog.name}`);
    // Copied so that one surviving document does not keep the whole file's buffer alive.
    const docs = records.slice(next, next + catalog.documents).map((raw) => Buffer.from(raw));
    next += catalog.documents;
    collections.push({ db: catalog.db, name: catalog.name, options: catalog.options ?? {}, indexes: catalog.indexes ?? [], docs });
  }
  const trailer = take();
  if (trailer.end !== true || next !== records.length) throw new Error(`${path}: bad trailer`);
  return { collections, bytes: buf.length };
}
