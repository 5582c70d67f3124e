import { perTurn } from './perTurn.js';

/**
 * Combines the inserts that several documents' save queues ask for in one event-loop turn into one
 * database write. Saves fall on a shared time grid (see SaveQueue), so reports edited at the same
 * time save in the same turn: with many panels typing, the number of writes per second stays
 * near the grid's rate instead of growing with the number of open reports (the fan-out profile
 * showed each save costing the server ~3 ms of driver and database CPU, whatever its size).
 *
 * Each caller learns its own outcome: rows are inserted unordered, and a failed row fails only the
 * caller that asked for it (its save queue keeps the updates and retries; a row that did get in is
 * inserted again, which is harmless: Yjs applies a repeated update as a no-op).
 */
export interface RowBatcher<Row> {
  /** Resolves once every row is stored; rejects with the database's error if any of them is not. */
  insert(rows: Row[]): Promise<void>;
}

interface Request<Row> {
  rows: Row[];
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Rows the database reported as not inserted, by index in the write, or null when the error says
 * nothing per row (the network, an unavailable server, a write concern error): then all failed.
 */
function failedRows(error: unknown): Set<number> | null {
  const writeErrors = (error as { writeErrors?: unknown } | null)?.writeErrors;
  if (!writeErrors) return null;
  // The driver gives one WriteError or an array of them.
  const list = (Array.isArray(writeErrors) ? writeErrors : [writeErrors]) as { index?: unknown }[];
  if (list.length === 0 || list.some((e) => typeof e.index !== 'number')) return null;
  return new Set(list.map((e) => e.index as number));
}

/** `insertMany(rows, ordered)`: ordered is false when rows of several callers are combined. */
export function batchInserts<Row>(insertMany: (rows: Row[], ordered: boolean) => Promise<unknown>): RowBatcher<Row> {
  const flush = async (batch: Request<Row>[]): Promise<void> => {
    if (batch.length === 1) {
      const [only] = batch;
      await insertMany(only.rows, true).then(only.resolve, only.reject);
      return;
    }
    try {
      await insertMany(
        batch.flatMap((request) => request.rows),
        false,
      );
      for (const request of batch) request.resolve();
    } catch (error) {
      const failed = failedRows(error);
      let first = 0;
      for (const request of batch) {
        const last = first + request.rows.length;
        let ok = failed !== null;
        for (let i = first; ok && i < last; i++) if (failed!.has(i)) ok = false;
        if (ok) request.resolve();
        else request.reject(error);
        first = last;
      }
    }
  };
  // After the timers of this turn: every save queue due now has asked by then.
  const ask = perTurn<Request<Row>>((batch) => void flush(batch));
  return {
    insert: (rows) => new Promise<void>((resolve, reject) => ask({ rows, resolve, reject })),
  };
}
