import { mkdir, readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { commandError } from '../errors';
import { InMemoryCollection, toStoredDocument } from './collectionStore';
import { acquireDataDirLock } from './dataDirLock';
import type { DataDirLock } from './dataDirLock';
import type { ChangeJournal, StoreChange } from './collectionStore';
import { publishSnapshot, readSnapshot, snapshotFileName, writeSnapshotTemp } from './snapshot';
import type { SnapshotCollection } from './snapshot';
import { openLogFile, recoverLog, syncDirectory, truncateDurably, WriteAheadLog } from './wal';
import type { LogRecord, StorageEvent } from './wal';
import type { CollectionOptions, CollectionStore, DatabaseInfo, StorageEngine, StorageOptions } from './types';

/*
 * Files and generations. The data directory holds `snapshot-<G>.bin` (the whole state at the
 * moment log generation G began) and `wal-<G>.log` (changes made while G was current). The
 * state is: the newest snapshot S whose logs S, S+1, ... all exist, then every log >= S replayed
 * in order (no snapshot: every log from 1). Compaction to generation N = current + 1 goes:
 *
 *   1. create wal-N.log and fsync the directory;
 *   2. synchronously: route new appends to wal-N and capture the state (it is exactly what the
 *      logs < N describe, since no change can slip between the two);
 *   3. flush the older log; write snapshot-N.tmp and fsync it;
 *   4. rename it to snapshot-N.bin and fsync the directory;
 *   5. delete logs and snapshots < N.
 *
 * A crash before 4 leaves snapshot-N absent (a .tmp is deleted on open): recovery uses the old
 * snapshot and replays the old logs plus wal-N. After 4, recovery loads snapshot-N and replays
 * only wal-N, ignoring (then deleting) the older files. Either way every acknowledged record is
 * applied exactly once on top of the state it followed. Writes to wal-N are only issued after
 * the older log's records are fsynced, so a torn older log never coexists with data in wal-N.
 */

const DEFAULT_COMPACT_LOG_BYTES = 64 * 1024 * 1024;

const walFileName = (generation: number) => `wal-${generation}.log`;

/**
 * Opens a storage engine. With a directory it takes the lock file, recovers (snapshot, then
 * logs, truncating a torn tail) and appends to the newest log; with `dir: null` it keeps
 * everything in memory. Throws DBPathInUse when a live process holds the directory, and an
 * Error when the files cannot be combined into a consistent state (e.g. a log is missing).
 */
export async function openStorage(options: StorageOptions): Promise<StorageEngine> {
  const engine = new Engine(options);
  if (options.dir === null) return engine;
  try {
    await engine.recover(options.dir);
  } catch (e) {
    await engine.close().catch(() => undefined);
    throw e;
  }
  return engine;
}

class Engine implements StorageEngine {
  private readonly dbs = new Map<string, Map<string, InMemoryCollection>>();
  private readonly compactLogBytes: number;
  private readonly journal: ChangeJournal = (c, change) => this.log(toLogRecord(c, change));
  private wal: WriteAheadLog | null = null;
  private lock: DataDirLock | null = null;
  private generation = 1;
  /** Bytes of logs older than the current one that the newest snapshot does not yet cover. */
  private olderLogBytes = 0;
  private snapshotBytes = 0;
  private compactions = 0;
  private compacting: Promise<void> | null = null;
  private replaying = false;
  private closed = false;

  constructor(private readonly options: StorageOptions) {
    this.compactLogBytes = options.compactLogBytes ?? DEFAULT_COMPACT_LOG_BYTES;
  }

  listDatabases(): DatabaseInfo[] {
    return [...this.dbs].map(([name, colls]) => {
      const sizeOnDisk = [...colls.values()].reduce((sum, c) => sum + c.bytes(), 0);
      return { name, sizeOnDisk, empty: sizeOnDisk === 0 };
    });
  }

  listCollections(db: string): CollectionStore[] {
    return [...(this.dbs.get(db)?.values() ?? [])];
  }

  collection(db: string, name: string): InMemoryCollection | undefined {
    return this.dbs.get(db)?.get(name);
  }

  createCollection(db: string, name: string, options: CollectionOptions = {}): CollectionStore {
    if (this.collection(db, name)) throw commandError('NamespaceExists', `Collection ${db}.${name} already exists.`);
    this.change({ op: 'createCollection', db, coll: name, options: { ...options } });
    return this.collection(db, name) as InMemoryCollection;
  }

  ensureCollection(db: string, name: string): CollectionStore {
    return this.collection(db, name) ?? this.createCollection(db, name);
  }

  dropCollection(db: string, name: string): boolean {
    if (!this.collection(db, name)) return false;
    this.change({ op: 'dropCollection', db, coll: name });
    return true;
  }

  dropDatabase(db: string): void {
    if (this.dbs.has(db)) this.change({ op: 'dropDatabase', db });
  }

  renameCollection(fromDb: string, from: string, toDb: string, to: string, dropTarget: boolean): void {
    if (!this.collection(fromDb, from)) throw commandError('NamespaceNotFound', `Source collection ${fromDb}.${from} does not exist`);
    if (fromDb === toDb && from === to) throw commandError('IllegalOperation', "Can't rename a collection to itself");
    if (this.collection(toDb, to) && !dropTarget) throw commandError('NamespaceExists', 'target namespace exists');
    this.change({ op: 'rename', db: fromDb, coll: from, toDb, toColl: to, dropTarget });
  }

  async flush(): Promise<void> {
    if (!this.wal) return;
    await this.wal.flush();
    if (!this.compacting && !this.closed && this.logBytes() > this.compactLogBytes) {
      this.compact().catch((e: Error) => this.emit('compaction.failed', e.message));
    }
  }

  compact(): Promise<void> {
    // Runs one after another: a compact() requested during a running one must cover later changes.
    const run = (this.compacting ?? Promise.resolve()).catch(() => undefined).then(() => this.runCompaction());
    this.compacting = run;
    const clear = () => {
      if (this.compacting === run) this.compacting = null;
    };
    run.then(clear, clear);
    return run;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.compacting?.catch(() => undefined);
    await this.wal?.close();
    await this.lock?.release();
  }

  stats(): { logBytes: number; snapshotBytes: number; documents: number; compactions: number } {
    let documents = 0;
    for (const colls of this.dbs.values()) for (const c of colls.values()) documents += c.count();
    return { logBytes: this.logBytes(), snapshotBytes: this.snapshotBytes, documents, compactions: this.compactions };
  }

  /** Loads the directory's state; see the comment at the top of this file. */
  async recover(dir: string): Promise<void> {
    await mkdir(dir, { recursive: true });
    this.lock = await acquireDataDirLock(dir, (message) => this.emit('lock.stale', message));
    const files = await readdir(dir);
    for (const f of files.filter((name) => name.endsWith('.tmp'))) await unlink(join(dir, f));
    const gens = (re: RegExp) => files.map((f) => re.exec(f)).filter((m) => m !== null).map((m) => Number(m[1]));
    const snapshots = gens(/^snapshot-(\d+)\.bin$/).sort((a, b) => b - a);
    const wals = gens(/^wal-(\d+)\.log$/).sort((a, b) => a - b);
    let base = 0;
    for (const g of snapshots) {
      const logs = wals.filter((w) => w >= g);
      if (logs.length === 0 || !logs.every((w, i) => w === g + i)) {
        this.emit('snapshot.skipped', `snapshot ${g} lacks some of its logs`);
        continue;
      }
      try {
        const { collections, bytes } = await readSnapshot(join(dir, snapshotFileName(g)));
        this.loadSnapshot(collections);
        this.snapshotBytes = bytes;
        base = g;
        this.emit('snapshot.loaded', `loaded snapshot ${g} (${bytes} bytes)`);
        break;
      } catch (e) {
        this.dbs.clear();
        this.emit('snapshot.invalid', (e as Error).message);
      }
    }
    const logs = wals.filter((w) => w >= base);
    if (!logs.every((w, i) => w === (base || 1) + i)) {
      throw new Error(`cannot recover ${dir}: logs ${logs.join(',')} do not follow snapshot ${base || 'none'}`);
    }
    await this.replay(dir, logs);
    this.generation = Math.max(base, 1, ...logs);
    this.wal = new WriteAheadLog(await openLogFile(join(dir, walFileName(this.generation))));
    await this.removeGenerationsBefore(dir, base);
  }

  private async replay(dir: string, logs: number[]): Promise<void> {
    let torn = false;
    this.replaying = true;
    try {
      for (const g of logs) {
        const path = join(dir, walFileName(g));
        if (torn) {
          // Data here is unreachable by construction (see top); if it happens anyway, the
          // consistent prefix is the only safe state.
          if ((await stat(path)).size > 0) {
            await truncateDurably(path, 0);
            this.emit('wal.truncated', `${path} follows a torn log and was emptied`);
          }
          continue;
        }
        const records = await recoverLog(path, (e) => {
          torn = true;
          this.options.onEvent?.(e);
        });
        for (const record of records) this.apply(record);
        if (g !== logs[logs.length - 1]) this.olderLogBytes += (await stat(path)).size;
      }
    } finally {
      this.replaying = false;
    }
  }

  private loadSnapshot(collections: SnapshotCollection[]): void {
    for (const c of collections) {
      const store = this.attach(c.db, c.name, c.options);
      for (const spec of c.indexes) store.restoreIndex(spec);
      for (const raw of c.docs) store.restorePut(toStoredDocument(raw));
    }
  }

  private async runCompaction(): Promise<void> {
    const dir = this.options.dir;
    if (dir === null || !this.wal || this.closed) return;
    const next = this.generation + 1;
    const file = await openLogFile(join(dir, walFileName(next)));
    // No await from here to the capture: the captured state is exactly logs < next.
    this.olderLogBytes += this.wal.currentBytes;
    this.wal.switchTo(file);
    this.generation = next;
    const state = this.capture();
    this.emit('compaction.rotated', `log generation ${next} started`);
    await this.wal.flush();
    const bytes = await writeSnapshotTemp(dir, next, state);
    this.emit('compaction.written', `snapshot ${next} written (${bytes} bytes)`);
    await publishSnapshot(dir, next);
    this.snapshotBytes = bytes;
    this.olderLogBytes = 0;
    this.emit('compaction.published', `snapshot ${next} published`);
    await this.removeGenerationsBefore(dir, next);
    this.compactions++;
    this.emit('compaction.done', `compacted to generation ${next}`);
  }

  private capture(): SnapshotCollection[] {
    const out: SnapshotCollection[] = [];
    for (const colls of this.dbs.values()) {
      for (const c of colls.values()) {
        out.push({ db: c.db, name: c.name, options: c.options, indexes: c.indexes(), docs: c.all().map((d) => d.raw) });
      }
    }
    return out;
  }

  private async removeGenerationsBefore(dir: string, generation: number): Promise<void> {
    let removed = 0;
    for (const f of await readdir(dir)) {
      const m = /^(?:wal-(\d+)\.log|snapshot-(\d+)\.(?:bin|tmp))$/.exec(f);
      if (m && Number(m[1] ?? m[2]) < generation) {
        await unlink(join(dir, f));
        removed++;
      }
    }
    if (removed > 0) await syncDirectory(dir);
  }

  private logBytes(): number {
    return this.olderLogBytes + (this.wal?.currentBytes ?? 0);
  }

  /** Logs a catalog change, then applies it; the log refusing the record leaves memory unchanged. */
  private change(record: LogRecord): void {
    this.log(record);
    this.apply(record);
  }

  private log(record: LogRecord): void {
    if (this.replaying) return;
    if (this.closed) throw commandError('InternalError', 'storage engine is closed');
    this.wal?.append(record);
  }

  // Tolerant of records whose target is already gone so that replay never stops half-way.
  private apply(r: LogRecord): void {
    switch (r.op) {
      case 'createCollection':
        if (!this.collection(r.db, r.coll)) this.attach(r.db, r.coll, r.options ?? {});
        return;
      case 'dropCollection':
        return this.detach(r.db, r.coll);
      case 'dropDatabase':
        for (const name of [...(this.dbs.get(r.db)?.keys() ?? [])]) this.detach(r.db, name);
        return;
      case 'rename': {
        const source = this.collection(r.db, r.coll);
        if (!source) return;
        this.detach(r.toDb, r.toColl);
        this.unlinkFromCatalog(r.db, r.coll);
        source.relocate(r.toDb, r.toColl);
        this.catalogOf(r.toDb).set(r.toColl, source);
        return;
      }
    }
    // Collection-level records only reach apply() during replay.
    const store = this.collection(r.db, r.coll) ?? this.attach(r.db, r.coll, {});
    if (r.op === 'put') store.restorePut(toStoredDocument(r.doc));
    else if (r.op === 'del') store.restoreDelete(r.id);
    else if (r.op === 'createIndex') store.restoreIndex(r.spec);
    else if (r.op === 'setOptions') store.setOptions(r.options ?? {});
    else if (store.indexes().some((s) => s.name === r.name)) store.dropIndex(r.name);
  }

  private attach(db: string, name: string, options: CollectionOptions): InMemoryCollection {
    const store = new InMemoryCollection(db, name, { ...options }, this.journal);
    this.catalogOf(db).set(name, store);
    return store;
  }

  private detach(db: string, name: string): void {
    this.collection(db, name)?.detach();
    this.unlinkFromCatalog(db, name);
  }

  private unlinkFromCatalog(db: string, name: string): void {
    const colls = this.dbs.get(db);
    colls?.delete(name);
    // A database exists only while it has collections, as in MongoDB.
    if (colls?.size === 0) this.dbs.delete(db);
  }

  private catalogOf(db: string): Map<string, InMemoryCollection> {
    let colls = this.dbs.get(db);
    if (!colls) this.dbs.set(db, (colls = new Map()));
    return colls;
  }

  private emit(kind: string, message: string): void {
    this.options.onEvent?.({ kind, message } satisfies StorageEvent);
  }
}

function toLogRecord(c: InMemoryCollection, change: StoreChange): LogRecord {
  const ns = { db: c.db, coll: c.name };
  switch (change.op) {
    case 'put':
      return { op: 'put', ...ns, doc: change.doc.raw };
    case 'del':
      return { op: 'del', ...ns, id: change.id };
    case 'createIndex':
      return { op: 'createIndex', ...ns, spec: change.spec };
    case 'dropIndex':
      return { op: 'dropIndex', ...ns, name: change.name };
    case 'setOptions':
      return { op: 'setOptions', ...ns, options: change.options };
  }
}
