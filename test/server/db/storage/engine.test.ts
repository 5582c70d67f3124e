import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Document } from 'bson';
import { toStoredDocument } from '../../../../server/db/embedded/storage/collectionStore';
import { openStorage } from '../../../../server/db/embedded/storage/engine';
import { serializeBson } from '../../../../server/db/embedded/storage/wal';
import type { StorageEngine, StorageOptions } from '../../../../server/db/embedded/storage/types';
import { againstRealMongo } from '../commands/harness.js';

// Storage engine internals: nothing here talks to a server, so TEST_MONGODB_URI runs skip it.

type StorageEvent = Parameters<NonNullable<StorageOptions['onEvent']>>[0];

let root: string;
let dir: string;
const open: StorageEngine[] = [];
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'godo-engine-'));
  dir = join(root, 'data');
});
afterEach(async () => {
  for (const engine of open.splice(0)) await engine.close();
  rmSync(root, { recursive: true, force: true });
});

async function start(at = dir, options: Partial<StorageOptions> = {}) {
  const events: StorageEvent[] = [];
  const engine = await openStorage({ dir: at, onEvent: (e) => events.push(e), ...options });
  open.push(engine);
  return { engine, events };
}

async function restart(engine: StorageEngine, at = dir, options: Partial<StorageOptions> = {}) {
  await engine.close();
  return start(at, options);
}

const doc = (plain: Document) => toStoredDocument(serializeBson(plain));
const insert = (engine: StorageEngine, ns: string, plain: Document) => {
  const [db, coll] = ns.split('.');
  engine.ensureCollection(db, coll).insert(doc(plain));
};
const idsIn = (engine: StorageEngine, db: string, coll: string) => [...(engine.collection(db, coll)?.all() ?? [])].map((d) => d.plain._id);
const walFile = () => join(dir, readdirSync(dir).find((f) => f.startsWith('wal-'))!);

/** Everything observable about the engine's state, for before/after comparisons. */
function dump(engine: StorageEngine) {
  return engine.listDatabases().map((d) => ({
    db: d.name,
    collections: engine.listCollections(d.name).map((c) => ({
      name: c.name,
      options: c.options,
      indexes: c.indexes(),
      docs: [...c.all()].map((x) => x.raw.toString('hex')),
    })),
  }));
}

describe.skipIf(againstRealMongo)('memory mode', () => {
  it('keeps state without files and flushes immediately', async () => {
    const engine = await openStorage({ dir: null });
    insert(engine, 'app.users', { _id: 1 });
    await engine.flush();
    await engine.compact();
    expect(engine.stats()).toMatchObject({ documents: 1, logBytes: 0 });
    expect(() => engine.createCollection('app', 'users')).toThrow(expect.objectContaining({ codeName: 'NamespaceExists' }));
    await engine.close();
  });
});

describe.skipIf(againstRealMongo)('catalog', () => {
  it('creates, renames and drops collections and databases like MongoDB', async () => {
    const engine = await openStorage({ dir: null });
    engine.createCollection('app', 'a', { validationLevel: 'strict' });
    insert(engine, 'app.b', { _id: 1 });
    insert(engine, 'other.c', { _id: 2 });
    expect(engine.listCollections('app').map((c) => c.name)).toEqual(['a', 'b']);
    expect(engine.listDatabases()).toEqual([
      { name: 'app', sizeOnDisk: expect.any(Number), empty: false },
      { name: 'other', sizeOnDisk: expect.any(Number), empty: false },
    ]);
    expect(() => engine.renameCollection('app', 'b', 'app', 'a', false)).toThrow(expect.objectContaining({ code: 48 }));
    expect(() => engine.renameCollection('app', 'zz', 'app', 'y', false)).toThrow(expect.objectContaining({ code: 26 }));
    const stale = engine.collection('app', 'a')!;
    engine.renameCollection('app', 'b', 'app', 'a', true);
    expect(idsIn(engine, 'app', 'a')).toEqual([1]);
    expect(() => stale.insert(doc({ _id: 9 }))).toThrow(expect.objectContaining({ codeName: 'NamespaceNotFound' }));
    engine.renameCollection('other', 'c', 'app', 'moved', false);
    expect(engine.listDatabases().map((d) => d.name)).toEqual(['app']);
    expect(engine.dropCollection('app', 'nope')).toBe(false);
    engine.dropDatabase('app');
    expect(engine.listDatabases()).toEqual([]);
    await engine.close();
  });
});

describe.skipIf(againstRealMongo)('restart', () => {
  it('recovers every kind of change from the log', async () => {
    let { engine } = await start();
    engine.createCollection('app', 'users', { validator: { email: { $type: 'string' } } });
    const users = engine.collection('app', 'users')!;
    users.createIndex({ name: 'email_1', key: { email: 1 }, unique: true });
    users.createIndex({ name: 'tmp_1', key: { tmp: 1 } });
    for (let i = 0; i < 20; i++) users.insert(doc({ _id: i, email: `u${i}@x` }));
    users.replace(users.getById(3)!, doc({ _id: 3, email: 'changed@x' }));
    users.remove(users.getById(4)!);
    users.dropIndex('tmp_1');
    users.setOptions({ validationLevel: 'moderate' });
    insert(engine, 'app.gone', { _id: 1 });
    engine.dropCollection('app', 'gone');
    insert(engine, 'tmp.x', { _id: 1 });
    engine.dropDatabase('tmp');
    insert(engine, 'app.old', { _id: 'r' });
    engine.renameCollection('app', 'old', 'app', 'renamed', false);
    await engine.flush();
    const before = dump(engine);

    ({ engine } = await restart(engine));
    expect(dump(engine)).toEqual(before);
    expect(() => engine.collection('app', 'users')!.insert(doc({ _id: 99, email: 'u5@x' }))).toThrow(expect.objectContaining({ code: 11000 }));
  });

  it('flushes on close', async () => {
    let { engine } = await start();
    insert(engine, 'app.c', { _id: 1 });
    ({ engine } = await restart(engine));
    expect(idsIn(engine, 'app', 'c')).toEqual([1]);
  });

  it('loses nothing written while flushes and a compaction are in flight', async () => {
    let { engine } = await start();
    const pending: Promise<void>[] = [];
    for (let i = 0; i < 300; i++) {
      insert(engine, 'app.c', { _id: i });
      if (i % 7 === 0) pending.push(engine.flush());
      if (i % 100 === 50) pending.push(engine.compact());
    }
    await Promise.all(pending);
    ({ engine } = await restart(engine));
    expect(idsIn(engine, 'app', 'c')).toEqual([...Array(300).keys()]);
  });
});

describe.skipIf(againstRealMongo)('torn log tail', () => {
  it('keeps every record before a record cut short', async () => {
    let { engine, events } = await start();
    for (let i = 0; i < 10; i++) insert(engine, 'app.c', { _id: i });
    await engine.flush();
    insert(engine, 'app.c', { _id: 10, pad: 'x'.repeat(100) });
    await engine.close();
    const bytes = readFileSync(walFile());
    writeFileSync(walFile(), bytes.subarray(0, bytes.length - 30));

    ({ engine, events } = await start());
    expect(idsIn(engine, 'app', 'c')).toEqual([...Array(10).keys()]);
    expect(events.map((e) => e.kind)).toContain('wal.truncated');
    insert(engine, 'app.c', { _id: 'after' });
    ({ engine } = await restart(engine));
    expect(idsIn(engine, 'app', 'c')).toEqual([...Array(10).keys(), 'after']);
  });

  it('stops at a corrupted byte even when valid records follow', async () => {
    let { engine } = await start();
    insert(engine, 'app.c', { _id: 'a' });
    await engine.flush();
    const goodBytes = engine.stats().logBytes;
    insert(engine, 'app.c', { _id: 'b', marker: 'corrupt-me' });
    insert(engine, 'app.c', { _id: 'c' });
    await engine.close();
    const bytes = readFileSync(walFile());
    bytes[bytes.indexOf('corrupt-me')] ^= 0x01;
    writeFileSync(walFile(), bytes);

    ({ engine } = await start());
    expect(idsIn(engine, 'app', 'c')).toEqual(['a']);
    expect(engine.stats().logBytes).toBe(goodBytes);
  });
});

describe.skipIf(againstRealMongo)('compaction', () => {
  it('replaces the log by a snapshot that survives a restart', async () => {
    let { engine } = await start();
    engine.ensureCollection('app', 'c').createIndex({ name: 'n_1', key: { n: 1 }, unique: true });
    for (let i = 0; i < 100; i++) insert(engine, 'app.c', { _id: i, n: i });
    engine.collection('app', 'c')!.remove(engine.collection('app', 'c')!.getById(0)!);
    await engine.compact();
    expect(engine.stats()).toMatchObject({ compactions: 1, logBytes: 0, documents: 99 });
    expect(engine.stats().snapshotBytes).toBeGreaterThan(0);
    expect(readdirSync(dir).sort()).toEqual(['mongod.lock', 'snapshot-2.bin', 'wal-2.log']);
    insert(engine, 'app.c', { _id: 'later', n: 'later' });
    const before = dump(engine);

    ({ engine } = await restart(engine));
    expect(dump(engine)).toEqual(before);
    expect(() => insert(engine, 'app.c', { _id: 'dup', n: 5 })).toThrow(expect.objectContaining({ code: 11000 }));
    await engine.compact();
    ({ engine } = await restart(engine));
    expect(dump(engine)).toEqual(before);
    expect(readdirSync(dir).sort()).toEqual(['mongod.lock', 'snapshot-3.bin', 'wal-3.log']);
  });

  it('starts by itself once the log exceeds compactLogBytes after a flush', async () => {
    const done = new Promise<void>((resolve) => {
      void start(dir, {
        compactLogBytes: 2000,
        onEvent: (e) => e.kind === 'compaction.done' && resolve(),
      }).then(async ({ engine }) => {
        for (let i = 0; i < 50; i++) insert(engine, 'app.c', { _id: i, pad: 'x'.repeat(50) });
        await engine.flush();
      });
    });
    await done;
    const engine = open[0];
    expect(engine.stats().compactions).toBe(1);
    expect(engine.stats().logBytes).toBeLessThan(2000);
  });
});

describe.skipIf(againstRealMongo)('crash at each step of compaction', () => {
  it('recovers the acknowledged state from the files left at every step', async () => {
    const copies: Record<string, string> = {};
    const { engine } = await start(dir, {
      onEvent: (e) => {
        if (!e.kind.startsWith('compaction.')) return;
        if (e.kind === 'compaction.rotated') {
          // Changes that land right after the rotation belong to the new log only; a rename
          // followed by re-creating its source would be replayed wrongly if they leaked into
          // the snapshot too.
          insert(engine, 'app.c', { _id: 'during' });
          engine.renameCollection('app', 'a', 'app', 'b', false);
          insert(engine, 'app.a', { _id: 'new' });
        }
        // Copying synchronously inside the event captures the directory exactly as a crash would leave it.
        copies[e.kind] = join(root, e.kind);
        cpSync(dir, copies[e.kind], { recursive: true, filter: (src) => !src.endsWith('mongod.lock') });
      },
    });
    for (let i = 0; i < 30; i++) insert(engine, 'app.c', { _id: i });
    insert(engine, 'app.a', { _id: 'old' });
    await engine.flush();
    await engine.compact();
    const acked = [...Array(30).keys()];

    expect(Object.keys(copies)).toEqual(['compaction.rotated', 'compaction.written', 'compaction.published', 'compaction.done']);
    expect(readdirSync(copies['compaction.written'])).toContain('snapshot-2.tmp');
    expect(readdirSync(copies['compaction.published'])).toEqual(expect.arrayContaining(['wal-1.log', 'snapshot-2.bin', 'wal-2.log']));
    const expected: Record<string, unknown[]> = {
      'compaction.rotated': acked, // 'during' was appended but not yet flushed
      'compaction.written': [...acked, 'during'],
      'compaction.published': [...acked, 'during'],
      'compaction.done': [...acked, 'during'],
    };
    for (const [step, copy] of Object.entries(copies)) {
      const recovered = await start(copy);
      expect(idsIn(recovered.engine, 'app', 'c'), step).toEqual(expected[step]);
      const flushed = step !== 'compaction.rotated';
      expect(idsIn(recovered.engine, 'app', 'a'), step).toEqual(flushed ? ['new'] : ['old']);
      expect(idsIn(recovered.engine, 'app', 'b'), step).toEqual(flushed ? ['old'] : []);
      expect(readdirSync(copy).filter((f) => f.endsWith('.tmp')), step).toEqual([]);
      await recovered.engine.close();
    }
  });

  it('falls back to the logs when the newest snapshot is damaged and they still exist', async () => {
    let copy = '';
    const { engine } = await start(dir, {
      onEvent: (e) => {
        if (e.kind !== 'compaction.published') return;
        copy = join(root, 'published');
        cpSync(dir, copy, { recursive: true, filter: (src) => !src.endsWith('mongod.lock') });
      },
    });
    for (let i = 0; i < 10; i++) insert(engine, 'app.c', { _id: i });
    await engine.compact();
    insert(engine, 'app.c', { _id: 'after' });
    await engine.flush();
    cpSync(join(dir, 'wal-2.log'), join(copy, 'wal-2.log'));
    const snapshot = join(copy, 'snapshot-2.bin');
    writeFileSync(snapshot, readFileSync(snapshot).subarray(0, 40));

    const recovered = await start(copy);
    expect(idsIn(recovered.engine, 'app', 'c')).toEqual([...Array(10).keys(), 'after']);
    expect(recovered.events.map((e) => e.kind)).toContain('snapshot.invalid');
  });

  it('keeps the consistent prefix when an older log is torn and a newer one has data', async () => {
    let copy = '';
    const { engine } = await start(dir, {
      onEvent: (e) => {
        if (e.kind === 'compaction.rotated') insert(engine, 'app.c', { _id: 'during' });
        if (e.kind !== 'compaction.written') return;
        copy = join(root, 'written');
        cpSync(dir, copy, { recursive: true, filter: (src) => !src.endsWith('mongod.lock') });
      },
    });
    insert(engine, 'app.c', { _id: 'first' });
    await engine.flush();
    insert(engine, 'app.c', { _id: 'second' });
    await engine.compact();
    const wal1 = join(copy, 'wal-1.log');
    writeFileSync(wal1, readFileSync(wal1).subarray(0, readFileSync(wal1).length - 3));

    const recovered = await start(copy);
    expect(idsIn(recovered.engine, 'app', 'c')).toEqual(['first']);
    expect(recovered.events.filter((e) => e.kind === 'wal.truncated')).toHaveLength(2);
  });

  it('refuses to open when a damaged snapshot has no logs to fall back on', async () => {
    const { engine } = await start();
    insert(engine, 'app.c', { _id: 1 });
    await engine.compact();
    await engine.close();
    writeFileSync(join(dir, 'snapshot-2.bin'), 'garbage');
    await expect(start()).rejects.toThrow(/cannot recover/);
    expect(existsSync(join(dir, 'mongod.lock'))).toBe(false);
  });
});

describe.skipIf(againstRealMongo)('lock file', () => {
  it('keeps a second engine out of an open directory', async () => {
    await start();
    await expect(openStorage({ dir })).rejects.toMatchObject({ code: 98, codeName: 'DBPathInUse' });
  });

  it('takes over a lock left by a dead process', async () => {
    const { engine } = await start();
    insert(engine, 'app.c', { _id: 1 });
    await engine.close();
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    writeFileSync(join(dir, 'mongod.lock'), `${dead}\n`);
    const reopened = await start();
    expect(idsIn(reopened.engine, 'app', 'c')).toEqual([1]);
    expect(reopened.events.map((e) => e.kind)).toContain('lock.stale');
    expect(readFileSync(join(dir, 'mongod.lock'), 'utf8').trim()).toBe(String(process.pid));
  });
});
