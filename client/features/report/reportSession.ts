import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { COLLAB_CLOSE_CODES, COLLAB_PATH, reportDocName } from '../../../shared/collab';
import { reportLiveChannel, type LiveState } from '../../realtime/socket';

/** What the report page shows about its connection; `closed` means the server refused for good (44xx). */
export type ReportConnectionState = LiveState | 'closed';

/** A snapshot of the session for React (a new object on every change). */
export interface ReportSessionSnapshot {
  state: ReportConnectionState;
  /** Local edits the server has not received yet (typed while disconnected). */
  pending: boolean;
  /** The document has been synced with the server at least once (the editors can bind safely). */
  loaded: boolean;
  /** Why the server closed the connection for good (a 44xx close), else null. */
  closed: { code: number; reason: string } | null;
  /** How often the server said this person's write access changed (the page asks again what it may do). */
  accessChanges: number;
}

/** The address of the collaboration endpoint on the page's own origin (ws: or wss:). */
export function collabServerUrl(location: Pick<Location, 'protocol' | 'host'> = window.location): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${COLLAB_PATH}`;
}

/**
 * One open consensus report: its Y.Doc and the y-websocket provider syncing it over `/collab`.
 * Follows the close-code convention of shared/collab.ts (y-websocket stops on 44xx and emits
 * `closed`; on 45xx and network drops it reconnects with backoff), and reports its state to the
 * tab's connection indicator through `reportLiveChannel`.
 */
export class ReportSession {
  readonly doc = new Y.Doc();
  readonly provider: WebsocketProvider;
  readonly channelId: string;
  private snapshot: ReportSessionSnapshot = { state: 'connecting', pending: false, loaded: false, closed: null, accessChanges: 0 };
  private readonly listeners = new Set<() => void>();
  private everConnected = false;
  private recheckAccessOnSync = false;
  private readonly cleanups: Array<() => void> = [];

  constructor(proposalId: string, serverUrl = collabServerUrl()) {
    const docName = reportDocName(proposalId);
    this.channelId = docName;
    this.provider = new WebsocketProvider(serverUrl, docName, this.doc, { maxBackoffTime: 5_000 });
    this.provider.on('status', this.refresh);
    this.provider.on('sync', this.refresh);
    this.provider.on('closed', this.onClosed);
    this.provider.on('connection-close', this.onConnectionClose);
    this.doc.on('update', this.onUpdate);
    window.addEventListener('online', this.refresh);
    window.addEventListener('offline', this.refresh);
    this.cleanups.push(() => {
      window.removeEventListener('online', this.refresh);
      window.removeEventListener('offline', this.refresh);
    });
    reportLiveChannel(this.channelId, { state: 'connecting', pending: false });
    this.refresh();
  }

  /** The current snapshot (stable between changes, as useSyncExternalStore needs). */
  readonly getSnapshot = (): ReportSessionSnapshot => this.snapshot;

  /** Subscribes to snapshot changes; returns the unsubscribe function. */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private isLive(): boolean {
    return this.provider.wsconnected && this.provider.synced;
  }

  private readonly onUpdate = (_update: Uint8Array, origin: unknown) => {
    // Edits from the server arrive with the provider as origin; everything else was made here.
    if (origin === this.provider || this.isLive() || this.snapshot.pending) return;
    this.set({ pending: true });
  };

  private readonly onClosed = (event: { code: number; reason: string }) => {
    this.set({ closed: { code: event.code, reason: event.reason } });
    this.refresh();
  };

  // The server closes with `accessChanged` when what this person may do changed (a phase, a final
  // sign-off); the provider reconnects by itself and the page refetches the access: at once, and
  // again once reconnected (a further change may have landed before the new connection was checked,
  // and that connection then has nothing to announce).
  private readonly onConnectionClose = (event: { code: number } | null) => {
    if (event?.code !== COLLAB_CLOSE_CODES.accessChanged) return;
    this.recheckAccessOnSync = true;
    this.set({ accessChanges: this.snapshot.accessChanges + 1 });
  };

  private readonly refresh = () => {
    const live = this.isLive();
    if (live) this.everConnected = true;
    if (live && this.recheckAccessOnSync) {
      this.recheckAccessOnSync = false;
      this.set({ accessChanges: this.snapshot.accessChanges + 1 });
    }
    let state: ReportConnectionState;
    if (this.snapshot.closed) state = 'closed';
    else if (live) state = 'connected';
    else if (!navigator.onLine) state = 'offline';
    else state = this.everConnected ? 'reconnecting' : 'connecting';
    // The sync handshake sends the server whatever it lacks, so edits made offline are delivered by now.
    this.set({ state, pending: live ? false : this.snapshot.pending, loaded: this.snapshot.loaded || live });
  };

  private set(change: Partial<ReportSessionSnapshot>): void {
    const next = { ...this.snapshot, ...change };
    const same = (Object.keys(next) as (keyof ReportSessionSnapshot)[]).every((key) => next[key] === this.snapshot[key]);
    if (same) return;
    this.snapshot = next;
    const liveState: LiveState = next.state === 'closed' ? 'offline' : next.state;
    reportLiveChannel(this.channelId, { state: liveState, pending: next.pending });
    for (const listener of this.listeners) listener();
  }

  /** Closes the connection and forgets the document (the page was left). */
  destroy(): void {
    for (const cleanup of this.cleanups) cleanup();
    this.provider.off('status', this.refresh);
    this.provider.off('sync', this.refresh);
    this.provider.off('closed', this.onClosed);
    this.provider.off('connection-close', this.onConnectionClose);
    this.doc.off('update', this.onUpdate);
    this.provider.destroy();
    this.doc.destroy();
    reportLiveChannel(this.channelId, null);
    this.listeners.clear();
  }
}
