import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { BSON } from 'bson';
import type { Binary } from 'bson';
import { join } from 'node:path';
import { openLogFile, parseRecords, recoverLog, serializeBson, WriteAheadLog } from '../../../../server/db/embedded/storage/wal';
import type { LogRecord, StorageEvent } from '../../../../server/db/embedded/storage/wal';
import { againstRealMongo } from '../commands/harness.js';

// Storage engine internals: nothing here talks to a server, so TEST_MONGODB_URI runs skip it.

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'godo-wal-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const put = (id: number): LogRecord => ({ op: 'put', db: 'app', coll: 'c', doc: serializeBson({ _id: id, pad: 'x'.repeat(40) }) });
const idsOf = (records: LogRecord[]) => records.map((r) => (r.op === 'put' ? (r.doc.readInt32LE(9) as number) : r.op));

async function writeLog(path: string, count: number): Promise<number[]> {
  const wal = new WriteAheadLog(await openLogFile(path));
  const ends: number[] = [];
  for (let i = 0; i < count; i++) {
    wal.append(put(i));
    ends.push(wal.currentBytes);
  }
  await wal.close();
  return ends;
}

/** Reads the ids on disk without recovery's truncation, safe while the log is being written. */
const idsOnDisk = (path: string) =>
  parseRecords(readFileSync(path), (p) => BSON.deserialize((BSON.deserialize(p).doc as Binary).buffer)._id as number).items;

async function recover(path: string) {
  const events: StorageEvent[] = [];
  const records = await recoverLog(path, (e) => events.push(e));
  return { ids: idsOf(records), events };
}

describe.skipIf(againstRealMongo)('group commit', () => {
  it('serves many concurrent flushes with few fsyncs and resolves them all', async () => {
    const wal = new WriteAheadLog(await openLogFile(join(dir, 'wal-1.log')));
    const flushes: Promise<void>[] = [];
    for (let i = 0; i < 200; i++) {
      wal.append(put(i));
      flushes.push(wal.flush());
    }
    await Promise.all(flushes);
    expect(wal.fsyncCount).toBeGreaterThan(0);
    expect(wal.fsyncCount).toBeLessThanOrEqual(2);
    await wal.close();
    expect((await recover(join(dir, 'wal-1.log'))).ids).toEqual([...Array(200).keys()]);
  });

  it('resolves a flush only when its records are on disk, including ones appended during an fsync', async () => {
    const path = join(dir, 'wal-1.log');
    const wal = new WriteAheadLog(await openLogFile(path));
    wal.append(put(0));
    const first = wal.flush();
    wal.append(put(1));
    const second = wal.flush();
    await first;
    expect(idsOnDisk(path).slice(0, 1)).toEqual([0]);
    await second;
    expect(idsOnDisk(path)).toEqual([0, 1]);
    expect(wal.fsyncCount).toBe(2);
    await wal.flush();
    expect(wal.fsyncCount).toBe(2);
    await wal.close();
  });

  it('writes records appended before a switch to the old file and later ones to the new file', async () => {
    const wal = new WriteAheadLog(await openLogFile(join(dir, 'wal-1.log')));
    wal.append(put(1));
    const pending = wal.flush();
    wal.append(put(2));
    wal.switchTo(await openLogFile(join(dir, 'wal-2.log')));
    wal.append(put(3));
    await Promise.all([pending, wal.flush()]);
    await wal.close();
    expect((await recover(join(dir, 'wal-1.log'))).ids).toEqual([1, 2]);
    expect((await recover(join(dir, 'wal-2.log'))).ids).toEqual([3]);
  });

  it('refuses further work after a failed write instead of acknowledging lost data', async () => {
    const file = await openLogFile(join(dir, 'wal-1.log'));
    const wal = new WriteAheadLog(file);
    await file.handle.close();
    wal.append(put(1));
    await expect(wal.flush()).rejects.toThrow();
    expect(() => wal.append(put(2))).toThrow(/write-ahead log unusable/);
    await expect(wal.flush()).rejects.toThrow();
  });
});

describe.skipIf(againstRealMongo)('recovery', () => {
  it('returns every record in order', async () => {
    await writeLog(join(dir, 'wal-1.log'), 50);
    const { ids, events } = await recover(join(dir, 'wal-1.log'));
    expect(ids).toEqual([...Array(50).keys()]);
    expect(events).toEqual([]);
  });

  it('truncates a record cut short and keeps everything before it', async () => {
    const path = join(dir, 'wal-1.log');
    const ends = await writeLog(path, 10);
    writeFileSync(path, readFileSync(path).subarray(0, ends[7] + 5));
    const { ids, events } = await recover(path);
    expect(ids).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(events).toMatchObject([{ kind: 'wal.truncated', offset: ends[7] }]);
    expect(statSync(path).size).toBe(ends[7]);
  });

  it('treats a checksum mismatch followed by valid records as a torn tail', async () => {
    const path = join(dir, 'wal-1.log');
    const ends = await writeLog(path, 10);
    const bytes = readFileSync(path);
    bytes[ends[3] + 20] ^= 0xff;
    writeFileSync(path, bytes);
    const { ids, events } = await recover(path);
    expect(ids).toEqual([0, 1, 2, 3]);
    expect(events[0].message).toMatch(/checksum mismatch/);
    expect(statSync(path).size).toBe(ends[3]);
  });

  it('truncates zero-filled space after the last record', async () => {
    const path = join(dir, 'wal-1.log');
    const ends = await writeLog(path, 3);
    appendFileSync(path, Buffer.alloc(4096));
    expect((await recover(path)).ids).toEqual([0, 1, 2]);
    expect(statSync(path).size).toBe(ends[2]);
  });

  it('reads a missing log as empty', async () => {
    expect((await recover(join(dir, 'absent.log'))).ids).toEqual([]);
  });
});
