import { HocuspocusProvider } from '@hocuspocus/provider';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { ServerKind } from './servers.js';

// Every provider adds a process 'exit' listener; hundreds of bench clients are not a leak.
process.setMaxListeners(0);

/** One bench editor: its own Y.Doc connected to one document of one server. */
export interface BenchClient {
  doc: Y.Doc;
  /**
   * With `stampArrivals`: when the message being handled right now reached this client (its
   * websocket's message event), null outside a message's handling.
   */
  arrivedAt(): number | null;
  /** Resolves on the first full sync. */
  synced: Promise<void>;
  /** Whether the client is synced right now (false while reconnecting). */
  isSynced(): boolean;
  onSync(listener: () => void): void;
  destroy(): void;
}

type Listener = (event: unknown) => void;

/** Messages stamped on arrival, waiting to be handled (in arrival order, across every client). */
const pending: { handle: () => void }[] = [];
let draining = false;
/**
 * How long one check phase may spend handling stamped messages before it lets the loop poll the
 * sockets again. Handled all at once, a burst of arrivals (a few edits × their recipients, 60–140 µs
 * each) would keep the next arrivals unstamped for milliseconds: the latency tail would measure the
 * load generator's backlog rather than the server.
 */
const DRAIN_BUDGET_MS = 1;

function drain(): void {
  const until = performance.now() + DRAIN_BUDGET_MS;
  try {
    while (pending.length > 0) {
      pending.shift()!.handle();
      if (performance.now() >= until) break;
    }
  } finally {
    // An immediate queued from the check phase runs after the next poll phase: arrivals first.
    if (pending.length > 0) setImmediate(drain);
    else draining = false;
  }
}

/**
 * A websocket class that notes when each message arrives and hands it to the client's handler
 * later, in arrival order, a bounded slice per check phase (`drain`). Hundreds of simulated clients
 * share one process: handled at once, the ninth recipient of an edit would only see it after eight
 * other clients had applied it (60–140 µs each), and the latency would measure the load generator.
 * Stamped first, every message that arrived in one poll phase gets its own arrival time.
 */
function stampingWebSocket<T extends new (...args: any[]) => WebSocket>(Base: T, onHandling: (arrivedAt: number | null) => void): T {
  const wrapped = new WeakMap<Listener, Listener>();
  return class StampingWebSocket extends (Base as unknown as typeof WebSocket) {
    override addEventListener(type: string, listener: Listener, options?: object): void {
      if (type !== 'message') return void super.addEventListener(type as 'message', listener, options);
      const stamped: Listener = (event) => {
        const arrivedAt = performance.now();
        pending.push({
          handle: () => {
            onHandling(arrivedAt);
            try {
              listener.call(this, event);
            } finally {
              onHandling(null);
            }
          },
        });
        if (!draining) {
          draining = true;
          setImmediate(drain);
        }
      };
      wrapped.set(listener, stamped);
      // ws's `onmessage` setter adds its handler through this method too.
      super.addEventListener('message', stamped, options);
    }

    override removeEventListener(type: string, listener: Listener): void {
      super.removeEventListener(type as 'message', (type === 'message' && wrapped.get(listener)) || listener);
    }
  } as unknown as T;
}

function cookieWebSocket(cookie: string) {
  return class CookieWebSocket extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, cookie ? { headers: { cookie } } : {});
    }
  };
}

/**
 * Connects with the client each server is built for: y-websocket's WebsocketProvider for Godo and
 * `@y/websocket-server` (same protocol), HocuspocusProvider for Hocuspocus (its protocol prefixes
 * every message with the document name). `maxBackoffTime` caps the reconnect backoff; `jitter`
 * randomises each wait (y-websocket's own backoff has none).
 */
export function connectBenchClient(
  kind: ServerKind,
  wsUrl: string,
  docName: string,
  cookie: string,
  options: { maxBackoffTime?: number; jitter?: boolean; stampArrivals?: boolean } = {},
): BenchClient {
  const doc = new Y.Doc();
  let handling: number | null = null;
  const stamp = <T extends new (...args: any[]) => WebSocket>(Base: T): T => (options.stampArrivals ? stampingWebSocket(Base, (at) => (handling = at)) : Base);
  const listeners: (() => void)[] = [];
  let synced = false;
  const fire = () => {
    synced = true;
    for (const l of listeners) l();
  };
  let destroy: () => void;
  if (kind === 'hocuspocus') {
    const provider = new HocuspocusProvider({
      url: wsUrl,
      name: docName,
      document: doc,
      WebSocketPolyfill: stamp(WebSocket),
    } as unknown as ConstructorParameters<typeof HocuspocusProvider>[0]);
    provider.on('synced', ({ state }: { state: boolean }) => (state ? fire() : (synced = false)));
    provider.on('disconnect', () => (synced = false));
    destroy = () => provider.destroy();
  } else {
    const provider = new WebsocketProvider(wsUrl, docName, doc, {
      disableBc: true,
      maxBackoffTime: options.maxBackoffTime ?? 2_500,
      WebSocketPolyfill: stamp(cookieWebSocket(cookie)) as unknown as typeof globalThis.WebSocket,
    });
    provider.on('sync', (isSynced: boolean) => (isSynced ? fire() : (synced = false)));
    let timer: NodeJS.Timeout | undefined;
    if (options.jitter) {
      // y-websocket 3.1 backs off without jitter, so clients dropped together come back in waves.
      // Take over its reconnect: its own timer finds `shouldConnect` false and does nothing; ours
      // waits a random time in [0, min(cap, 100 ms × 2^attempt)] ("full jitter") and reconnects.
      let attempt = 0;
      provider.on('sync', (isSynced: boolean) => {
        if (isSynced) attempt = 0;
      });
      provider.on('connection-close', (event: { code: number } | null) => {
        if (event === null || !provider.shouldConnect || (event.code >= 4400 && event.code <= 4499)) return;
        provider.shouldConnect = false;
        attempt += 1;
        const ceiling = Math.min(options.maxBackoffTime ?? 2_500, 100 * 2 ** attempt);
        clearTimeout(timer);
        timer = setTimeout(() => provider.connect(), Math.random() * ceiling);
      });
    }
    destroy = () => {
      clearTimeout(timer);
      provider.destroy();
    };
  }
  const first = new Promise<void>((resolve) => listeners.push(resolve));
  return {
    doc,
    arrivedAt: () => handling,
    synced: first,
    isSynced: () => synced,
    onSync: (listener) => listeners.push(listener),
    destroy() {
      destroy();
      doc.destroy();
    },
  };
}
