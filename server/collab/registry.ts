import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { COLLAB_CLOSE_CODES } from '../../shared/collab.js';
import type { Connection } from './connection.js';
import { CollabDocument } from './document.js';
import type { CollabLimits } from './limits.js';
import type { DocumentRelay } from './document.js';
import type { CollabPersistence } from './persistence.js';
import { TimerGrid } from './timerGrid.js';

/** What the registry tells its listeners (tests wait for these instead of sleeping). */
export interface RegistryEvents {
  loaded: [docName: string];
  unloaded: [docName: string];
  joined: [docName: string, connections: number];
  left: [docName: string, connections: number];
  saved: [docName: string, updates: number];
  saveFailed: [docName: string, error: unknown];
  /** A person's edit changed the document (e.g. to void sign-offs of the report's text). */
  edited: [docName: string, userId: string];
}

/** What a registry needs. */
export interface RegistryDeps {
  persistence: CollabPersistence;
  logger: Logger;
  clock: () => Date;
  limits: CollabLimits;
  /** Set when several processes serve documents (REDIS_URL). */
  relay?: DocumentRelay;
}

/** Live numbers for health checks and tests. */
export interface RegistryStats {
  documents: number;
  loading: number;
  connections: number;
  readOnlyConnections: number;
  pendingUpdates: number;
  /** Documents whose last save failed (they stay in memory and retry). */
  failingDocuments: number;
}

interface Entry {
  document: CollabDocument;
  ready: Promise<CollabDocument>;
  loaded: boolean;
}

/**
 * The documents of ONE collaboration server (no module-level state: several servers run in one
 * test process). A document is loaded once, before any of its connections is answered; it is unloaded
 * when its last connection has gone AND everything it holds is stored. A failing save keeps it in
 * memory (the save queue retries), and the unload happens once a retry succeeds.
 */
export class DocumentRegistry extends EventEmitter<RegistryEvents> {
  private readonly entries = new Map<string, Entry>();
  /** One set of save timers for every document here: saves due together leave in one write. */
  private readonly saveGrid = new TimerGrid();
  /** Documents in use outside connections (version snapshots, restores, exports). */
  private readonly holds = new Map<CollabDocument, number>();
  private closing = false;

  constructor(private readonly deps: RegistryDeps) {
    super();
  }

  /** The loaded document of that name, if any. */
  get(docName: string): CollabDocument | undefined {
    const entry = this.entries.get(docName);
    return entry?.loaded ? entry.document : undefined;
  }

  /** The document of that name whether loaded or still loading (relayed changes wait in it while it loads). */
  peek(docName: string): CollabDocument | undefined {
    return this.entries.get(docName)?.document;
  }

  /** Names of the documents in memory (loading or loaded). */
  names(): string[] {
    return [...this.entries.keys()];
  }

  /**
   * The document, loaded from storage on first use (concurrent callers share one load).
   * @throws when the server is closing or the load fails.
   */
  open(docName: string): Promise<CollabDocument> {
    if (this.closing) return Promise.reject(new Error('collaboration server is closing'));
    const existing = this.entries.get(docName);
    if (existing) return existing.ready;
    const document = new CollabDocument(docName, {
      ...this.deps,
      saveGrid: this.saveGrid,
      onIdle: (doc) => this.unloadIfUnused(doc),
      onSaved: (doc, updates) => this.emit('saved', doc.name, updates),
      onSaveFailed: (doc, error) => this.emit('saveFailed', doc.name, error),
      onEdited: (doc, connection) => this.emit('edited', doc.name, connection.grant.user.id),
    });
    const entry: Entry = { document, loaded: false, ready: Promise.resolve(document) };
    entry.ready = document.load().then(
      () => {
        entry.loaded = true;
        this.emit('loaded', docName);
        return document;
      },
      (error: unknown) => {
        this.deps.logger.error({ err: error, docName }, 'collab: loading document failed');
        if (this.entries.get(docName) === entry) this.entries.delete(docName);
        document.destroy();
        throw error;
      },
    );
    this.entries.set(docName, entry);
    return entry.ready;
  }

  /**
   * Joins a connection to its document once loaded; its queued frames are then processed.
   * @throws when the document cannot be loaded.
   */
  async attach(connection: Connection): Promise<void> {
    const document = await this.open(connection.docName);
    if (connection.isClosed) {
      this.unloadIfUnused(document);
      return;
    }
    document.join(connection);
    this.emit('joined', document.name, document.connections.size);
    connection.attach(document);
  }

  /**
   * Runs `task` on the live document (loading it if nobody has it open), so server-side reads see
   * unsaved edits and server-side changes reach connected clients and storage like any edit.
   * The document is unloaded afterwards if nobody else uses it.
   * @throws when the document cannot be loaded, or what `task` throws.
   */
  async use<T>(docName: string, task: (document: CollabDocument) => T | Promise<T>): Promise<T> {
    const document = await this.open(docName);
    this.holds.set(document, (this.holds.get(document) ?? 0) + 1);
    try {
      return await task(document);
    } finally {
      const left = (this.holds.get(document) ?? 1) - 1;
      if (left > 0) this.holds.set(document, left);
      else this.holds.delete(document);
      this.unloadIfUnused(document);
    }
  }

  /**
   * Retries every failed save now (the database is back), instead of each waiting out its backoff.
   * Returns how many documents were waiting.
   */
  retryFailedSaves(): number {
    let waiting = 0;
    for (const { document, loaded } of this.entries.values()) {
      if (!loaded || document.isDestroyed || document.saveQueue.failureCount === 0) continue;
      waiting += 1;
      document.saveQueue.retryNow();
    }
    return waiting;
  }

  /** Takes a closed connection out of its document; the document unloads once unused and saved. */
  release(connection: Connection): void {
    const entry = this.entries.get(connection.docName);
    if (!entry?.loaded || !entry.document.connections.has(connection)) return;
    entry.document.leave(connection);
    this.emit('left', entry.document.name, entry.document.connections.size);
    this.unloadIfUnused(entry.document);
  }

  /** Every connection of every document (for access re-checks). */
  connections(): Connection[] {
    return [...this.entries.values()].flatMap((entry) => [...entry.document.connections]);
  }

  stats(): RegistryStats {
    const stats: RegistryStats = { documents: 0, loading: 0, connections: 0, readOnlyConnections: 0, pendingUpdates: 0, failingDocuments: 0 };
    for (const { document, loaded } of this.entries.values()) {
      if (!loaded) {
        stats.loading += 1;
        continue;
      }
      stats.documents += 1;
      stats.connections += document.connections.size;
      for (const connection of document.connections) if (connection.readOnly) stats.readOnlyConnections += 1;
      stats.pendingUpdates += document.saveQueue.pendingUpdates;
      if (document.saveQueue.failureCount > 0) stats.failingDocuments += 1;
    }
    return stats;
  }

  /**
   * Closes every connection (`shuttingDown`, so clients reconnect to the next server), stores every
   * document, retrying failed saves for up to `shutdownFlushMs`, and unloads them. Updates that still
   * cannot be stored are reported at error level (the clients still hold them and resend on reconnect).
   */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.allSettled([...this.entries.values()].map((entry) => entry.ready));
    const documents = [...this.entries.values()].filter((entry) => entry.loaded).map((entry) => entry.document);
    for (const document of documents) {
      for (const connection of [...document.connections]) connection.close(COLLAB_CLOSE_CODES.shuttingDown, 'server shutting down');
    }
    for (const document of documents) document.storeRelayedState();
    const deadline = Date.now() + this.deps.limits.shutdownFlushMs;
    await Promise.all(documents.map((document) => this.flushBefore(document, deadline)));
    for (const document of documents) this.unload(document);
  }

  private async flushBefore(document: CollabDocument, deadline: number): Promise<void> {
    const giveUp = (error: unknown, attempts: number) =>
      document.logger.error(
        { err: error, pendingUpdates: document.saveQueue.pendingUpdates, attempts },
        'collab: UNSAVED UPDATES at shutdown; storing them failed until the deadline',
      );
    for (let attempt = 1; ; attempt += 1) {
      let timer: NodeJS.Timeout | undefined;
      // A save that hangs (database unreachable) must not hold up shutdown past the deadline.
      const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), Math.max(0, deadline - Date.now()))));
      try {
        const outcome = await Promise.race([document.saveQueue.flush().then(() => 'stored' as const), timeout]);
        if (outcome === 'timeout') return giveUp(new Error('save still running at the deadline'), attempt);
        return;
      } catch (error) {
        if (Date.now() >= deadline) return giveUp(error, attempt);
        const wait = Math.min(this.deps.limits.retryBaseMs * 2 ** (attempt - 1), this.deps.limits.retryMaxMs, Math.max(0, deadline - Date.now()));
        await new Promise((resolve) => setTimeout(resolve, wait));
      } finally {
        clearTimeout(timer);
      }
    }
  }

  private unloadIfUnused(document: CollabDocument): void {
    if (document.isDestroyed || document.connections.size > 0 || this.holds.has(document) || this.closing) return;
    document.storeRelayedState();
    const queue = document.saveQueue;
    // Not yet stored: flush now; the queue calls onIdle (back here) when a save leaves nothing pending,
    // and keeps retrying with backoff when saves fail.
    if (!queue.idle) {
      queue.flush().catch(() => undefined);
      return;
    }
    this.unload(document);
  }

  private unload(document: CollabDocument): void {
    const entry = this.entries.get(document.name);
    if (entry?.document !== document) return;
    this.entries.delete(document.name);
    document.destroy();
    this.emit('unloaded', document.name);
  }
}
