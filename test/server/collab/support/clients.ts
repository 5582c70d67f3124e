import { once } from 'node:events';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { COLLAB_PATH } from '../../../../shared/collab.js';

// Every WebsocketProvider adds a process 'exit' listener; ten of them are a test, not a leak.
process.setMaxListeners(Math.max(process.getMaxListeners(), 50));

/** Rejects with `what` if `promise` has not settled within `ms` (a guard, not a sleep). */
export function within<T>(promise: Promise<T>, what: string, ms = 15_000): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * `ws`'s WebSocket that sends a session cookie with the handshake: y-websocket takes it as its
 * `WebSocketPolyfill`, which is how a test client is signed in.
 */
export function webSocketWithCookie(cookie: string | undefined) {
  return class CookieWebSocket extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, cookie ? { headers: { cookie } } : {});
    }
  };
}

/** A y-websocket client on its own Y.Doc. */
export interface TestClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  destroy(): void;
}

/** The websocket base URL of a server's collaboration endpoint. */
export function collabUrl(httpUrl: string): string {
  return httpUrl.replace(/^http/, 'ws') + COLLAB_PATH;
}

/**
 * A WebsocketProvider with `disableBc` (else providers in one process share updates over Node's
 * BroadcastChannel and a test passes with the server doing nothing) and the cookie polyfill.
 */
export function connectClient(httpUrl: string, docName: string, cookie: string | undefined, options: { doc?: Y.Doc; connect?: boolean } = {}): TestClient {
  const doc = options.doc ?? new Y.Doc();
  const provider = new WebsocketProvider(collabUrl(httpUrl), docName, doc, {
    disableBc: true,
    connect: options.connect ?? true,
    maxBackoffTime: 200,
    WebSocketPolyfill: webSocketWithCookie(cookie) as unknown as typeof globalThis.WebSocket,
  });
  return {
    doc,
    provider,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** Resolves when the provider has synced with the server. */
export function synced(client: TestClient, what = 'sync'): Promise<void> {
  if (client.provider.synced) return Promise.resolve();
  return within(
    new Promise<void>((resolve) => {
      const onSync = (isSynced: boolean) => {
        if (!isSynced) return;
        client.provider.off('sync', onSync);
        resolve();
      };
      client.provider.on('sync', onSync);
    }),
    what,
  );
}

/** Resolves once `predicate()` holds, re-checking on every update of `doc`. */
export function docSatisfies(doc: Y.Doc, predicate: () => boolean, what: string): Promise<void> {
  if (predicate()) return Promise.resolve();
  return within(
    new Promise<void>((resolve) => {
      const check = () => {
        if (!predicate()) return;
        doc.off('update', check);
        resolve();
      };
      doc.on('update', check);
    }),
    what,
  );
}

/** The close event the provider receives next (code and reason). */
export function providerClosed(client: TestClient): Promise<{ code: number; reason: string }> {
  return within(
    new Promise((resolve) => {
      const onClose = (event: CloseEvent | null) => {
        if (!event) return;
        client.provider.off('connection-close', onClose);
        resolve({ code: event.code, reason: event.reason });
      };
      client.provider.on('connection-close', onClose);
    }),
    'provider close',
  );
}

/** A raw websocket that keeps every frame it receives (frames can arrive in the same tick as 'open'). */
export interface RawSocket {
  ws: WebSocket;
  frames: Uint8Array[];
  /** The next frame not yet taken. */
  nextFrame(): Promise<Uint8Array>;
  /** Code and reason of the close, whenever it comes. */
  closed: Promise<{ code: number; reason: string }>;
}

/** A raw websocket to a document (for frames y-websocket would never send). Resolves once open. */
export async function rawSocket(httpUrl: string, docName: string, cookie: string | undefined, headers: Record<string, string> = {}): Promise<RawSocket> {
  const ws = new WebSocket(`${collabUrl(httpUrl)}/${docName}`, { headers: { ...(cookie ? { cookie } : {}), ...headers } });
  const frames: Uint8Array[] = [];
  let taken = 0;
  ws.on('message', (data: Buffer) => {
    frames.push(new Uint8Array(data));
    ws.emit('frame');
  });
  ws.on('error', () => undefined);
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString() })),
  );
  await within(once(ws, 'open'), 'raw socket open');
  return {
    ws,
    frames,
    closed: within(closed, 'socket close'),
    async nextFrame() {
      while (frames.length <= taken) await within(once(ws, 'frame'), 'frame');
      return frames[taken++];
    },
  };
}

/**
 * Resolves once `observer` sees `marker` in `writer`'s awareness. The server handles one socket's
 * frames in order, so by then it has handled every frame `writer` sent before (e.g. a dropped edit).
 */
export async function flushedThroughServer(writer: TestClient, observer: TestClient, marker: number): Promise<void> {
  const seen = within(
    new Promise<void>((resolve) => {
      const check = () => observer.provider.awareness.getStates().get(writer.doc.clientID)?.marker === marker && resolve();
      observer.provider.awareness.on('change', check);
    }),
    'awareness marker',
  );
  writer.provider.awareness.setLocalStateField('marker', marker);
  await seen;
}
