import { randomBytes } from 'node:crypto';
import { MAX_BSON_OBJECT_SIZE } from '../wire/protocol.js';
import { batchOverhead } from './bson/envelope.js';

/** Default number of documents in a find/aggregate first batch, as in MongoDB. */
export const DEFAULT_FIRST_BATCH = 101;
/** Room kept for the reply envelope around a batch. */
const ENVELOPE_RESERVE = 16 * 1024;

/** An open server-side cursor: an iterator of encoded documents waiting for getMore. */
export interface ServerCursor {
  readonly id: bigint;
  readonly ns: string;
  lastUsed: number;
  /** Documents already pulled from the source but not yet sent (did not fit a batch). */
  pending: Buffer | undefined;
  readonly source: Iterator<Buffer>;
}

/** A batch cut from a cursor source. */
export interface Batch {
  docs: Buffer[];
  /** The source has no more documents. */
  exhausted: boolean;
}

/**
 * The open cursors of one server. Ids are random positive 63-bit integers (sent as Long);
 * cursors idle longer than the timeout are closed by a periodic sweep.
 */
export class CursorRegistry {
  private readonly cursors = new Map<bigint, ServerCursor>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly idleTimeoutMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.timer = setInterval(() => this.sweep(), Math.max(1000, Math.min(idleTimeoutMs, 60_000)));
    this.timer.unref();
  }

  /** Number of open cursors. */
  get size(): number {
    return this.cursors.size;
  }

  /**
   * Cuts the first batch from `source`; when documents remain (and the caller wants a
   * cursor) registers the rest and returns its id, else id 0.
   */
  open(ns: string, source: Iterator<Buffer>, batchSize: number | undefined, singleBatch = false): { id: bigint; batch: Buffer[] } {
    const cursor: ServerCursor = { id: 0n, ns, lastUsed: this.now(), pending: undefined, source };
    const { docs, exhausted } = takeBatch(cursor, batchSize ?? DEFAULT_FIRST_BATCH);
    if (exhausted || singleBatch) return { id: 0n, batch: docs };
    const id = this.newId();
    this.cursors.set(id, { ...cursor, id });
    return { id, batch: docs };
  }

  /** Looks a cursor up and marks it used; undefined when unknown (killed, exhausted or timed out). */
  get(id: bigint): ServerCursor | undefined {
    const cursor = this.cursors.get(id);
    if (cursor) cursor.lastUsed = this.now();
    return cursor;
  }

  /** Cuts the next batch (no count limit when batchSize is 0/undefined); closes the cursor when exhausted. */
  next(cursor: ServerCursor, batchSize: number | undefined): Batch {
    const batch = takeBatch(cursor, batchSize || Number.POSITIVE_INFINITY);
    if (batch.exhausted) this.cursors.delete(cursor.id);
    return batch;
  }

  /** Closes a cursor; returns whether it existed. */
  kill(id: bigint): boolean {
    return this.cursors.delete(id);
  }

  /** Closes cursors idle for longer than the timeout. */
  sweep(): number {
    const cutoff = this.now() - this.idleTimeoutMs;
    let closed = 0;
    for (const [id, cursor] of this.cursors) {
      if (cursor.lastUsed < cutoff) {
        this.cursors.delete(id);
        closed++;
      }
    }
    return closed;
  }

  /** Stops the sweep timer and drops every cursor. */
  close(): void {
    clearInterval(this.timer);
    this.cursors.clear();
  }

  private newId(): bigint {
    for (;;) {
      const id = randomBytes(8).readBigUInt64LE() & 0x7fffffffffffffffn;
      if (id !== 0n && !this.cursors.has(id)) return id;
    }
  }
}

/** Takes up to `count` documents, stopping early before the reply would pass 16 MiB (always at least one). */
function takeBatch(cursor: ServerCursor, count: number): Batch {
  const docs: Buffer[] = [];
  let bytes = 0;
  while (docs.length < count) {
    const doc = cursor.pending ?? nextOf(cursor.source);
    cursor.pending = undefined;
    if (!doc) return { docs, exhausted: true };
    const size = doc.length + batchOverhead(docs.length);
    if (docs.length > 0 && bytes + size > MAX_BSON_OBJECT_SIZE - ENVELOPE_RESERVE) {
      cursor.pending = doc;
      return { docs, exhausted: false };
    }
    docs.push(doc);
    bytes += size;
  }
  // Peek so a cursor whose last document was just sent reports id 0 instead of lingering.
  if (!cursor.pending) cursor.pending = nextOf(cursor.source);
  return { docs, exhausted: cursor.pending === undefined };
}

function nextOf(source: Iterator<Buffer>): Buffer | undefined {
  const result = source.next();
  return result.done ? undefined : result.value;
}
