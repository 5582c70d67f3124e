import type { Logger } from 'pino';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { Connection, DocumentTooLargeError, type FrameHandler } from './connection.js';
import { trackSectionEdits, type SectionEditTracker } from './editMarks.js';
import type { CollabLimits } from './limits.js';
import { awarenessMessage, handleFrame, syncStep1Message, updateMessage } from './messages.js';
import type { CollabPersistence } from './persistence.js';
import type { TimerGrid } from './timerGrid.js';
import { SaveQueue } from './saveQueue.js';

/** What a document needs from its server. */
export interface DocumentDeps {
  persistence: CollabPersistence;
  logger: Logger;
  clock: () => Date;
  limits: CollabLimits;
  /** Called when a save leaves nothing pending, so the registry can unload an unused document. */
  onIdle(document: CollabDocument): void;
  onSaved?(document: CollabDocument, updates: number): void;
  /** A connection's edit changed the document (for voiding sign-offs, notifications). */
  onEdited?(document: CollabDocument, connection: Connection): void;
  onSaveFailed?(document: CollabDocument, error: unknown): void;
  /** Set when several processes serve documents (REDIS_URL): receives every change made here. */
  relay?: DocumentRelay;
  /** The registry's shared save timers (documents due together are stored in one write). */
  saveGrid?: TimerGrid;
}

/** Where a document sends what changed on this process, for the other processes (server/scale/collabRelay.ts). */
export interface DocumentRelay {
  publish(docName: string, kind: 'update' | 'awareness', payload: Uint8Array): void;
}

/** Transaction origin of state read from storage (never stored again). */
const LOADED = Symbol('collab:loaded');
/** Transaction origin of the server's own writes (edit marks). */
export const SERVER_ORIGIN = Symbol('collab:server');
/** Transaction origin of changes relayed from another process (stored by that process, never published again). */
export const REMOTE_ORIGIN = Symbol('collab:remote');

/**
 * One live document: its Y.Doc, its awareness, its connections and its save queue. Every change of
 * the Y.Doc after loading (a client's edit, the server's edit marks) is broadcast to the other
 * connections and queued for storage; Yjs emits 'update' only for content that is new, so a client
 * resending state the server already has (a reconnect after a restart) stores nothing.
 */
export class CollabDocument implements FrameHandler {
  readonly doc = new Y.Doc();
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly connections = new Set<Connection>();
  readonly logger: Logger;
  private saves: SaveQueue | null = null;
  private sizeEstimate = 0;
  private edits: SectionEditTracker | null = null;
  private destroyed = false;
  private changedByEdit = false;
  /** Relayed changes that arrived while loading, applied once loaded (in order). */
  private relayedWhileLoading: { kind: 'update' | 'awareness'; payload: Uint8Array }[] | null = [];
  /** Relayed updates were applied since this process last stored the whole state. */
  private relayedUnstored = false;

  constructor(
    readonly name: string,
    private readonly deps: DocumentDeps,
  ) {
    this.logger = deps.logger.child({ docName: name });
    // The server is not a participant: it has no awareness state of its own.
    this.awareness.setLocalState(null);
  }

  /** The save queue (available once loaded). */
  get saveQueue(): SaveQueue {
    if (!this.saves) throw new Error(`document ${this.name} is not loaded`);
    return this.saves;
  }

  get isDestroyed(): boolean {
    return this.destroyed;
  }

  /**
   * Reads the stored snapshot and updates into the Y.Doc, then starts broadcasting and storing changes.
   * @throws whatever the persistence throws (the document is then discarded).
   */
  async load(): Promise<void> {
    const stored = await this.deps.persistence.load(this.name);
    const tailBytes = stored.updates.reduce((sum, update) => sum + update.length, 0);
    // One transaction per stored update, not one around them all: Yjs merges and cleans up the
    // structs a transaction touched when it ends, and that cleanup grows faster than linearly with
    // the transaction (the B4 trace's 2,598 stored batches: 1,140 ms in one transaction, 190 ms
    // in one each). Nobody observes the document yet, so the intermediate states are never seen.
    if (stored.snapshot) Y.applyUpdate(this.doc, stored.snapshot, LOADED);
    stored.updates.forEach((update, index) => {
      try {
        Y.applyUpdate(this.doc, update, LOADED);
      } catch (error) {
        // One unreadable stored update must not make the whole report unavailable.
        this.logger.error({ err: error, index, bytes: update.length }, 'collab: a STORED UPDATE IS CORRUPT and was skipped');
      }
    });
    // What was read is an upper bound of the encoded size (merging only shrinks it); encoding the
    // whole document here cost a quarter of a large report's load. Near the limit `applyEdit` measures exactly.
    this.sizeEstimate = (stored.snapshot?.length ?? 0) + tailBytes;
    this.saves = new SaveQueue(
      {
        docName: this.name,
        persistence: this.deps.persistence,
        logger: this.deps.logger,
        limits: this.deps.limits,
        grid: this.deps.saveGrid,
        encodeState: () => Y.encodeStateAsUpdate(this.doc),
        onIdle: () => this.deps.onIdle(this),
        onSaved: (updates) => this.deps.onSaved?.(this, updates),
        onSaveFailed: (error) => this.deps.onSaveFailed?.(this, error),
      },
      { updates: stored.updates.length, bytes: tailBytes },
    );
    this.edits = trackSectionEdits(this.doc, this.name);
    this.doc.on('update', this.onUpdate);
    this.awareness.on('update', this.onAwarenessUpdate);
    this.saves.compactSoonIfNeeded();
    const relayed = this.relayedWhileLoading ?? [];
    this.relayedWhileLoading = null;
    for (const { kind, payload } of relayed) this.applyRelayed(kind, payload);
    this.logger.debug({ storedUpdates: stored.updates.length, bytes: this.sizeEstimate }, 'collab: document loaded');
  }

  /** Adds a connection and starts its sync: the server's SyncStep1, then everyone's awareness. */
  join(connection: Connection): void {
    this.connections.add(connection);
    connection.send(syncStep1Message(this.doc));
    const clients = [...this.awareness.getStates().keys()];
    if (clients.length > 0) connection.send(awarenessMessage(this.awareness, clients));
  }

  /** Removes a connection and the awareness states it introduced. */
  leave(connection: Connection): void {
    if (!this.connections.delete(connection)) return;
    if (connection.awarenessIds.size > 0) {
      awarenessProtocol.removeAwarenessStates(this.awareness, [...connection.awarenessIds], null);
    }
  }

  /** Whether another connection of this document introduced that awareness id. */
  awarenessOwnedByOther(clientId: number, connection: Connection): boolean {
    for (const other of this.connections) if (other !== connection && other.awarenessIds.has(clientId)) return true;
    return false;
  }

  /** Dispatches one frame of a connection (the message switch). */
  handleFrame(connection: Connection, frame: Uint8Array): void {
    handleFrame(this, connection, frame);
  }

  /**
   * Applies a client's update, then records which report sections it edited.
   * @throws DocumentTooLargeError when the update would grow the document past the limit;
   *   a decoding error when the update is malformed.
   */
  applyEdit(update: Uint8Array, connection: Connection): void {
    const max = this.deps.limits.maxDocumentBytes;
    if (this.sizeEstimate + update.length > max) {
      // Near the limit: measure exactly, and count only what the update adds (a reconnecting
      // client's SyncStep2 repeats much of what the server has).
      const exact = Y.encodeStateAsUpdate(this.doc).length;
      this.sizeEstimate = exact;
      const added = Y.diffUpdate(update, Y.encodeStateVector(this.doc)).length;
      if (exact + added > max) throw new DocumentTooLargeError(`${exact} + ${added} bytes exceed ${max}`);
    }
    this.changedByEdit = false;
    Y.applyUpdate(this.doc, update, connection);
    if (!this.changedByEdit) return;
    this.edits?.markEdited(this.deps.clock().getTime(), SERVER_ORIGIN);
    this.deps.onEdited?.(this, connection);
  }

  /** A change made by the server itself (a restore): broadcast and stored like any edit. */
  change(task: (doc: Y.Doc) => void): void {
    this.doc.transact(() => task(this.doc), SERVER_ORIGIN);
  }

  /**
   * Applies a change relayed from another process: sent to this process's connections, never
   * published again, and not queued for storage (its own process stores it). Buffered while loading.
   */
  applyRelayed(kind: 'update' | 'awareness', payload: Uint8Array): void {
    if (this.destroyed) return;
    if (this.relayedWhileLoading) {
      this.relayedWhileLoading.push({ kind, payload });
      return;
    }
    try {
      if (kind === 'update') Y.applyUpdate(this.doc, payload, REMOTE_ORIGIN);
      else awarenessProtocol.applyAwarenessUpdate(this.awareness, payload, REMOTE_ORIGIN);
    } catch (error) {
      this.logger.warn({ err: error, kind }, 'collab: a relayed change could not be applied');
    }
  }

  /**
   * When relayed updates were applied, queues the whole state for storage once (before unloading
   * or shutting down): an update whose own process died before storing it is then stored here.
   * Idempotent content: Yjs merges a repeated update as a no-op on load.
   */
  storeRelayedState(): void {
    if (!this.relayedUnstored || !this.saves) return;
    this.relayedUnstored = false;
    this.saves.enqueue(Y.encodeStateAsUpdate(this.doc));
  }

  /** Stops everything; the Y.Doc and awareness are released. Idempotent. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.saves?.stop();
    this.edits?.stop();
    this.doc.off('update', this.onUpdate);
    this.awareness.off('update', this.onAwarenessUpdate);
    this.awareness.destroy();
    this.doc.destroy();
  }

  private readonly onUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === LOADED) return;
    if (origin instanceof Connection) this.changedByEdit = true;
    this.sizeEstimate += update.length;
    if (origin === REMOTE_ORIGIN) this.relayedUnstored = true;
    else {
      this.saves!.enqueue(update);
      this.deps.relay?.publish(this.name, 'update', update);
    }
    // Sent at once, encoded once for every connection (as the peers do). Deferring the sends to the
    // end of the event-loop turn (setImmediate) bought nothing, since each update stays its own
    // message, and cost latency: other I/O callbacks of the turn (database replies, saves) ran first.
    // Merging a turn's updates (Y.mergeUpdates) was tried too: the merges cost as much CPU as the
    // socket writes they saved.
    if (this.destroyed || this.connections.size === 0) return;
    const message = updateMessage(update);
    for (const connection of this.connections) if (connection !== origin) connection.send(message);
  };

  private readonly onAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    const changed = [...added, ...updated, ...removed];
    if (origin instanceof Connection && this.connections.has(origin)) {
      for (const id of added) origin.awarenessIds.add(id);
      for (const id of removed) origin.awarenessIds.delete(id);
    }
    const message = awarenessMessage(this.awareness, changed);
    for (const connection of this.connections) connection.send(message);
    if (origin !== REMOTE_ORIGIN && this.deps.relay) {
      this.deps.relay.publish(this.name, 'awareness', awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed));
    }
  };
}
