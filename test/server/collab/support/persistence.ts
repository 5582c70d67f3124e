import { EventEmitter, once } from 'node:events';
import * as Y from 'yjs';
import type { CollabPersistence, StoredDocument } from '../../../../server/collab/persistence.js';

/** An in-memory fake of the persistence interface (the only fake the collab tests use). */
export function memoryPersistence(): CollabPersistence & { snapshots: Map<string, Uint8Array>; tails: Map<string, Uint8Array[]> } {
  const snapshots = new Map<string, Uint8Array>();
  const tails = new Map<string, Uint8Array[]>();
  return {
    snapshots,
    tails,
    async load(docName): Promise<StoredDocument> {
      return { snapshot: snapshots.get(docName) ?? null, updates: [...(tails.get(docName) ?? [])] };
    },
    async storeUpdates(docName, updates) {
      tails.set(docName, [...(tails.get(docName) ?? []), ...updates]);
      return updates.length;
    },
    async compact(docName, state) {
      snapshots.set(docName, state);
      tails.set(docName, []);
    },
  };
}

/** Events of a spied persistence. */
export interface SpyEvents {
  load: [docName: string];
  storeStarted: [docName: string, updates: number];
  stored: [docName: string, updates: number];
  storeFailed: [docName: string];
  compacted: [docName: string];
}

/**
 * Wraps a real persistence (Mongo or the memory fake) to observe and disturb it: count what is
 * stored, hold loads or stores until released, make the next stores fail.
 */
export class SpyPersistence extends EventEmitter<SpyEvents> implements CollabPersistence {
  storedUpdates: Uint8Array[] = [];
  storeCalls = 0;
  compactions = 0;
  private failures = 0;
  private loadGate: Promise<void> | null = null;
  private storeGate: Promise<void> | null = null;

  constructor(readonly inner: CollabPersistence) {
    super();
  }

  /** Loads wait until the returned function is called. */
  holdLoads(): () => void {
    let release!: () => void;
    this.loadGate = new Promise((resolve) => (release = resolve));
    return () => {
      this.loadGate = null;
      release();
    };
  }

  /** Stores wait until the returned function is called. */
  holdStores(): () => void {
    let release!: () => void;
    this.storeGate = new Promise((resolve) => (release = resolve));
    return () => {
      this.storeGate = null;
      release();
    };
  }

  /** The next `count` stores throw. */
  failNextStores(count: number): void {
    this.failures = count;
  }

  /** Waits for the next event of that kind. */
  next<K extends keyof SpyEvents>(event: K): Promise<SpyEvents[K]> {
    return once(this, event) as Promise<SpyEvents[K]>;
  }

  async load(docName: string): Promise<StoredDocument> {
    this.emit('load', docName);
    if (this.loadGate) await this.loadGate;
    return this.inner.load(docName);
  }

  async storeUpdates(docName: string, updates: readonly Uint8Array[]): Promise<number> {
    this.storeCalls += 1;
    this.emit('storeStarted', docName, updates.length);
    if (this.storeGate) await this.storeGate;
    if (this.failures > 0) {
      this.failures -= 1;
      this.emit('storeFailed', docName);
      throw new Error('injected storage failure');
    }
    const stored = await this.inner.storeUpdates(docName, updates);
    this.storedUpdates.push(...updates);
    this.emit('stored', docName, updates.length);
    return stored;
  }

  async compact(docName: string, state: Uint8Array): Promise<void> {
    await this.inner.compact(docName, state);
    this.compactions += 1;
    this.emit('compacted', docName);
  }

  /** Bytes of every update stored through this spy. */
  get storedBytes(): number {
    return this.storedUpdates.reduce((sum, update) => sum + update.length, 0);
  }
}

/** A Y.Doc rebuilt from what the persistence holds for `docName`. */
export async function storedDoc(persistence: CollabPersistence, docName: string): Promise<Y.Doc> {
  const stored = await persistence.load(docName);
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
  for (const update of stored.updates) Y.applyUpdate(doc, update);
  return doc;
}
