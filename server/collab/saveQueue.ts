import type { Logger } from 'pino';
import type { CollabLimits } from './limits.js';
import type { CollabPersistence } from './persistence.js';
import { TimerGrid } from './timerGrid.js';

/** What a save queue needs from its document and server. */
export interface SaveQueueDeps {
  docName: string;
  persistence: CollabPersistence;
  logger: Logger;
  limits: Pick<CollabLimits, 'saveDelayMs' | 'compactAfterUpdates' | 'compactAfterBytes' | 'retryBaseMs' | 'retryMaxMs'>;
  /** The document's full state, for compaction (encoded from the live Y.Doc, never merged from updates). */
  encodeState(): Uint8Array;
  /** The registry's shared save timers (documents due together save together); own one if absent. */
  grid?: TimerGrid;
  /** Called after a save leaves nothing pending (the registry may then unload the document). */
  onIdle(): void;
  onSaved?(updates: number): void;
  onSaveFailed?(error: unknown): void;
}

/** What is stored after the last snapshot, as `load` found it. */
export interface StoredTail {
  updates: number;
  bytes: number;
}

/**
 * One document's path to storage: updates are batched (stored at most `saveDelayMs` after they were
 * applied), saves never overlap, a failed save keeps its updates in memory and retries with backoff
 * (logged at error level each time), and the stored update tail is compacted into a snapshot when it
 * grows past the limits.
 */
export class SaveQueue {
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private oldestPendingAt = 0;
  private tail: StoredTail;
  /** Cancels the scheduled save (a grid slot or a retry timer); null when none is scheduled. */
  private timer: (() => void) | null = null;
  private readonly grid: TimerGrid;
  private inFlight: Promise<void> | null = null;
  private failures = 0;
  private stopped = false;

  constructor(
    private readonly deps: SaveQueueDeps,
    tail: StoredTail,
  ) {
    this.tail = { ...tail };
    this.grid = deps.grid ?? new TimerGrid();
  }

  /** Nothing waits to be stored and no save runs. */
  get idle(): boolean {
    return this.pending.length === 0 && this.inFlight === null;
  }

  /** Updates applied in memory but not yet stored. */
  get pendingUpdates(): number {
    return this.pending.length;
  }

  /** Consecutive failed saves (0 when the last save worked). */
  get failureCount(): number {
    return this.failures;
  }

  /** Updates stored after the last snapshot. */
  get storedTail(): StoredTail {
    return { ...this.tail };
  }

  /** Queues an update; it is stored within `saveDelayMs` (or by the retry loop if saves are failing). */
  enqueue(update: Uint8Array): void {
    if (this.pending.length === 0) this.oldestPendingAt = Date.now();
    this.pending.push(update);
    this.pendingBytes += update.length;
    if (!this.timer && !this.inFlight && this.failures === 0) this.scheduleDue();
  }

  /**
   * Runs a save soon if the stored tail is past the compaction limits (e.g. right after loading).
   * At once (next timer tick), not after `saveDelayMs`: a queue waiting on a timer counts as idle,
   * so a document closed within the delay was unloaded with its compaction cancelled (the bench
   * showed every later open reading the whole tail again). The first sync is not delayed by it:
   * the opening client's sync is answered synchronously when it joins, before this timer fires.
   */
  compactSoonIfNeeded(): void {
    if (this.needsCompaction() && !this.timer && !this.inFlight) this.schedule(0);
  }

  /**
   * Stores everything pending now and waits until nothing is pending.
   * @throws the persistence error when a save fails (the updates stay queued and retries continue).
   */
  async flush(): Promise<void> {
    while (this.inFlight || this.pending.length > 0) await this.save();
  }

  /**
   * Retries a failed save at once instead of after the rest of its backoff (up to `retryMaxMs`):
   * called when the database is reachable again, so edits kept in memory through an outage are
   * stored within a moment of its end. Does nothing unless the last save failed and none is running.
   */
  retryNow(): void {
    if (this.stopped || this.failures === 0 || this.inFlight) return;
    this.schedule(0);
  }

  /** Stops timers; pending updates are not stored any more. Call after a final `flush`. */
  stop(): void {
    this.stopped = true;
    this.clearTimer();
  }

  private needsCompaction(): boolean {
    const { compactAfterUpdates, compactAfterBytes } = this.deps.limits;
    return this.tail.updates > compactAfterUpdates || this.tail.bytes > compactAfterBytes;
  }

  /**
   * Schedules the save of the pending updates on a grid of the save delay shared by every document
   * (wall-clock multiples, one timer per moment: TimerGrid): at the end of the grid cell in which
   * the oldest pending update arrived, so at most one delay after it. Every document edited during
   * a cell saves at its end, in the same turn, and their rows go to the database in one write
   * (insertBatcher.ts). A grid of half the delay (due at the end of the next cell) split documents
   * edited now and then over two phases, twice the writes; steady typing lined up either way (the
   * fan-out bench: 2 writes a second for 5 reports before and after).
   */
  private scheduleDue(): void {
    const cell = this.deps.limits.saveDelayMs;
    if (cell < 1) return this.schedule(0);
    if (this.stopped) return;
    this.clearTimer();
    this.timer = this.grid.at((Math.floor(this.oldestPendingAt / cell) + 1) * cell, this.onTimer);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.clearTimer();
    const timer = setTimeout(this.onTimer, delayMs);
    this.timer = () => clearTimeout(timer);
  }

  private readonly onTimer = (): void => {
    this.timer = null;
    // Failures are logged inside save(); the retry is scheduled from there.
    this.save().catch(() => undefined);
  };

  private clearTimer(): void {
    this.timer?.();
    this.timer = null;
  }

  private save(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    this.clearTimer();
    const batch = this.pending;
    const batchBytes = this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
    const run = this.store(batch, batchBytes).finally(() => {
      this.inFlight = null;
      this.afterSave();
    });
    this.inFlight = run;
    return run;
  }

  private async store(batch: Uint8Array[], batchBytes: number): Promise<void> {
    const { docName, persistence, logger } = this.deps;
    if (batch.length > 0) {
      let stored: number;
      try {
        stored = await persistence.storeUpdates(docName, batch);
      } catch (error) {
        // Put the batch back in front: nothing is dropped, order is kept for the retry.
        this.pending = [...batch, ...this.pending];
        this.pendingBytes += batchBytes;
        this.failures += 1;
        logger.error(
          { err: error, docName, pendingUpdates: this.pending.length, attempt: this.failures },
          'collab: storing document updates FAILED; they stay in memory and the save is retried',
        );
        this.deps.onSaveFailed?.(error);
        throw error;
      }
      // What loading will apply one by one (each in its own transaction): a save's updates are
      // merged into one, so counting them as sent made a report typed in by ten people compact
      // every 500 keystrokes (10 s at the fan-out bench's pace) with a tail of 20 stored rows.
      this.tail.updates += stored;
      this.tail.bytes += batchBytes;
      if (this.failures > 0) logger.warn({ docName, afterFailures: this.failures }, 'collab: document updates stored after earlier failures');
      this.failures = 0;
      this.deps.onSaved?.(batch.length);
    }
    if (this.needsCompaction()) await this.compact();
  }

  private async compact(): Promise<void> {
    const { docName, persistence, logger } = this.deps;
    // Encoded now, so it contains every stored update (saves never overlap) and maybe some pending
    // ones, which are stored again afterwards: applying an update twice is harmless in Yjs.
    const state = this.deps.encodeState();
    try {
      await persistence.compact(docName, state);
      logger.debug({ docName, compactedUpdates: this.tail.updates, bytes: state.length }, 'collab: document compacted');
      this.tail = { updates: 0, bytes: 0 };
    } catch (error) {
      // The updates are safely stored; compaction is retried after the next save.
      logger.error({ err: error, docName }, 'collab: compacting document FAILED; its stored updates are kept');
    }
  }

  private afterSave(): void {
    if (this.stopped) return;
    if (this.failures > 0) {
      const { retryBaseMs, retryMaxMs } = this.deps.limits;
      this.schedule(Math.min(retryBaseMs * 2 ** (this.failures - 1), retryMaxMs));
    } else if (this.pending.length > 0) {
      // Updates that arrived during the save keep their deadline.
      this.scheduleDue();
    } else {
      this.deps.onIdle();
    }
  }
}
