import { open, readFile, truncate } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { crc32 } from 'node:zlib';
import { Binary, BSON } from 'bson';
import type { Document } from 'bson';
import { commandError } from '../errors';
import type { CollectionOptions, IndexSpec, StorageOptions } from './types';

/**
 * One logged change. Each is idempotent on its own (`put` upserts by `_id`, `del` ignores a
 * missing document), so applying a record twice gives the same state as applying it once.
 */
export type LogRecord =
  | { op: 'put'; db: string; coll: string; doc: Buffer }
  | { op: 'del'; db: string; coll: string; id: unknown }
  | { op: 'createCollection'; db: string; coll: string; options: CollectionOptions }
  | { op: 'dropCollection'; db: string; coll: string }
  | { op: 'dropDatabase'; db: string }
  | { op: 'rename'; db: string; coll: string; toDb: string; toColl: string; dropTarget: boolean }
  | { op: 'createIndex'; db: string; coll: string; spec: IndexSpec }
  | { op: 'dropIndex'; db: string; coll: string; name: string }
  | { op: 'setOptions'; db: string; coll: string; options: CollectionOptions };

/** What `StorageOptions.onEvent` receives (recovery and compaction milestones). */
export type StorageEvent = Parameters<NonNullable<StorageOptions['onEvent']>>[0];

const HEADER_BYTES = 8;

/** Frames a payload as `[u32 length][u32 crc32(payload)][payload]`, little-endian like BSON. */
export function frameRecord(payload: Uint8Array): Buffer {
  const header = Buffer.allocUnsafe(HEADER_BYTES);
  header.writeUInt32LE(payload.length, 0);
  header.writeUInt32LE(crc32(payload), 4);
  return header;
}

/** Result of {@link parseRecords}: the decoded records of the longest valid prefix. */
export interface ParsedRecords<T> {
  items: T[];
  /** Bytes of the valid prefix; less than the input length when `problem` is set. */
  validBytes: number;
  problem: string | null;
}

/** Splits framed records, stopping at the first incomplete, checksum-failing or undecodable one. */
export function parseRecords<T>(buf: Buffer, decode: (payload: Buffer) => T): ParsedRecords<T> {
  const items: T[] = [];
  let offset = 0;
  const stop = (problem: string): ParsedRecords<T> => ({ items, validBytes: offset, problem });
  while (offset < buf.length) {
    if (buf.length - offset < HEADER_BYTES) return stop('incomplete record header');
    const length = buf.readUInt32LE(offset);
    if (length < 5) return stop(`invalid record length ${length}`);
    if (offset + HEADER_BYTES + length > buf.length) return stop('incomplete record');
    const payload = buf.subarray(offset + HEADER_BYTES, offset + HEADER_BYTES + length);
    if (crc32(payload) !== buf.readUInt32LE(offset + 4)) return stop('checksum mismatch');
    try {
      items.push(decode(payload));
    } catch {
      return stop('undecodable record');
    }
    offset += HEADER_BYTES + length;
  }
  return { items, validBytes: offset, problem: null };
}

/** `BSON.serialize` as a Buffer view (bson 7 types its result as a plain Uint8Array). */
export function serializeBson(doc: Document): Buffer {
  const bytes = BSON.serialize(doc);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function encodeLogRecord(record: LogRecord): Buffer {
  return serializeBson(record.op === 'put' ? { ...record, doc: new Binary(record.doc) } : record);
}

function decodeLogRecord(payload: Buffer): LogRecord {
  const record = BSON.deserialize(payload) as LogRecord;
  if (typeof record.op !== 'string' || typeof record.db !== 'string') throw new Error('not a log record');
  if (record.op === 'put') {
    const bin = record.doc as unknown as Binary;
    // Copied so a document does not pin the whole log file's buffer in memory.
    return { ...record, doc: Buffer.from(bin.buffer.subarray(0, bin.position)) };
  }
  return record;
}

/**
 * Reads a log for recovery. The log is cut at the first record that is incomplete, fails its
 * checksum or does not decode, and the file is truncated there (reported through `onEvent`).
 * A bad record followed by good ones is treated the same way, as a torn tail: a disk may persist
 * later sectors of one write before earlier ones, and replaying records after a hole would apply
 * changes whose predecessors are lost. The longest valid prefix is the only state known to be
 * consistent; records after a hole were never acknowledged unless the disk itself rotted.
 */
export async function recoverLog(path: string, onEvent: (e: StorageEvent) => void): Promise<LogRecord[]> {
  const buf = await readFile(path).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return Buffer.alloc(0);
    throw e;
  });
  const parsed = parseRecords(buf, decodeLogRecord);
  if (parsed.problem) {
    await truncateDurably(path, parsed.validBytes);
    onEvent({
      kind: 'wal.truncated',
      message: `${parsed.problem} at byte ${parsed.validBytes} of ${path}; discarded ${buf.length - parsed.validBytes} bytes`,
      path,
      offset: parsed.validBytes,
      discardedBytes: buf.length - parsed.validBytes,
    });
  }
  return parsed.items;
}

/** Truncates a file and fsyncs it, so the cut survives a crash. */
export async function truncateDurably(path: string, length: number): Promise<void> {
  await truncate(path, length);
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Fsyncs a directory so that file creations, renames and deletions in it are durable. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** An open log file. */
export interface LogFile {
  readonly path: string;
  readonly handle: FileHandle;
  /** Size including appended records not yet written. */
  bytes: number;
}

/** Opens (creating if needed) a log file for appending and makes its directory entry durable. */
export async function openLogFile(path: string): Promise<LogFile> {
  const handle = await open(path, 'a');
  try {
    const { size } = await handle.stat();
    await syncDirectory(dirname(path));
    return { path, handle, bytes: size };
  } catch (e) {
    await handle.close();
    throw e;
  }
}

interface Segment {
  readonly file: LogFile;
  readonly chunks: Buffer[];
}

interface Waiter {
  readonly upTo: number;
  resolve(): void;
  reject(error: Error): void;
}

async function writeFully(handle: FileHandle, data: Buffer): Promise<void> {
  for (let offset = 0; offset < data.length; ) {
    const { bytesWritten } = await handle.write(data, offset, data.length - offset);
    offset += bytesWritten;
  }
}

/**
 * The write-ahead log with group commit. `append` only buffers (synchronously, so a command's
 * changes are ordered with its in-memory effects); one flush loop at a time writes everything
 * pending with one write and one fsync per file and then resolves every `flush()` whose records
 * were included. Flushes requested while an fsync runs are served by the next round.
 */
export class WriteAheadLog {
  private segments: Segment[];
  private readonly retired: LogFile[] = [];
  private waiters: Waiter[] = [];
  private appended = 0;
  private durable = 0;
  private loop: Promise<void> | null = null;
  private failure: Error | null = null;
  private syncs = 0;

  constructor(private current: LogFile) {
    this.segments = [{ file: current, chunks: [] }];
  }

  /** Number of fsyncs done so far (group commit makes it much smaller than the number of flushes). */
  get fsyncCount(): number {
    return this.syncs;
  }

  /** Bytes of the file currently appended to, including buffered records. */
  get currentBytes(): number {
    return this.current.bytes;
  }

  /** Buffers a record. Throws InternalError once a write or fsync has failed: nothing after it could be made durable. */
  append(record: LogRecord): void {
    if (this.failure) throw commandError('InternalError', `write-ahead log unusable: ${this.failure.message}`);
    const payload = encodeLogRecord(record);
    const segment = this.segments[this.segments.length - 1];
    segment.chunks.push(frameRecord(payload), payload);
    segment.file.bytes += HEADER_BYTES + payload.length;
    this.appended++;
  }

  /** Resolves once every record appended before this call is fsynced; rejects if writing fails. */
  flush(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.durable >= this.appended) return Promise.resolve();
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ upTo: this.appended, resolve, reject }));
    this.kick();
    return done;
  }

  /**
   * Sends later appends to `file`. Records appended before stay bound for the old file and are
   * written (and fsynced) before any record of the new one, so a crash never leaves a hole.
   */
  switchTo(file: LogFile): void {
    this.retired.push(this.current);
    this.current = file;
    this.segments.push({ file, chunks: [] });
  }

  /** Flushes what is buffered and closes the files. */
  async close(): Promise<void> {
    await this.flush().catch(() => undefined);
    await this.loop;
    for (const file of [...this.retired.splice(0), this.current]) await file.handle.close().catch(() => undefined);
  }

  private kick(): void {
    if (this.loop) return;
    this.loop = this.run().finally(() => {
      this.loop = null;
      // A waiter may have arrived after the loop's last check and before this callback.
      if (this.waiters.length > 0 && !this.failure) this.kick();
    });
  }

  private async run(): Promise<void> {
    try {
      while (this.durable < this.appended && this.waiters.length > 0) {
        const batch = this.segments;
        const upTo = this.appended;
        this.segments = [{ file: this.current, chunks: [] }];
        for (const segment of batch) {
          if (segment.chunks.length === 0) continue;
          await writeFully(segment.file.handle, Buffer.concat(segment.chunks));
          await segment.file.handle.datasync();
          this.syncs++;
        }
        this.durable = upTo;
        this.waiters = this.waiters.filter((w) => (w.upTo <= upTo ? (w.resolve(), false) : true));
        await this.closeRetired();
      }
    } catch (e) {
      // After a failed fsync the kernel may have dropped the dirty pages: retrying could
      // acknowledge data that is not on disk, so the log refuses all further work.
      this.failure = e instanceof Error ? e : new Error(String(e));
      for (const waiter of this.waiters.splice(0)) waiter.reject(this.failure);
    }
  }

  private async closeRetired(): Promise<void> {
    for (const file of [...this.retired]) {
      if (this.segments.some((s) => s.file === file && s.chunks.length > 0)) continue;
      this.retired.splice(this.retired.indexOf(file), 1);
      await file.handle.close();
    }
  }
}
