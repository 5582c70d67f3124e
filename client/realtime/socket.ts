import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/realtime/events';

/** The one Socket.IO connection of a tab (meetings and comment threads share it). */
export type GodoClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** What the connection indicator shows for a live channel. */
export type LiveState = 'connected' | 'connecting' | 'reconnecting' | 'offline';

let socket: GodoClientSocket | null = null;
let socketState: LiveState = 'connecting';
const socketListeners = new Set<(state: LiveState) => void>();

function setSocketState(next: LiveState): void {
  if (next === socketState) return;
  socketState = next;
  for (const listener of socketListeners) listener(next);
  notifyLive();
}

/**
 * The tab's socket, connected on first use. WebSocket only (no long-polling), so any load balancer
 * works without sticky sessions; the session cookie authenticates it. Reconnection backs off with
 * jitter so a restarted server is not hit by every tab at once.
 */
export function realtimeSocket(): GodoClientSocket {
  if (socket) return socket;
  socket = io({
    transports: ['websocket'],
    withCredentials: true,
    reconnectionDelay: 500,
    reconnectionDelayMax: 10_000,
    randomizationFactor: 0.5,
  });
  socket.on('connect', () => setSocketState('connected'));
  socket.on('disconnect', (reason) => {
    setSocketState(navigator.onLine ? 'reconnecting' : 'offline');
    // Socket.IO does not reconnect by itself after the server ended the connection (e.g. a process
    // draining before a restart, or a revoked session re-checked): try again; the handshake decides.
    if (reason === 'io server disconnect') socket?.connect();
  });
  socket.on('connect_error', () => setSocketState(navigator.onLine ? 'reconnecting' : 'offline'));
  return socket;
}

/** The socket's state now, and a subscription to its changes (returns the unsubscribe function). */
export function socketLiveState(): LiveState {
  return socket ? socketState : 'connected';
}
export function onSocketStateChange(listener: (state: LiveState) => void): () => void {
  socketListeners.add(listener);
  return () => socketListeners.delete(listener);
}

/** Closes the socket (sign-out): the next `realtimeSocket()` opens a new one with the new session. */
export function closeRealtimeSocket(): void {
  socket?.disconnect();
  socket = null;
  socketState = 'connecting';
  notifyLive();
}

/**
 * Other live channels (each open collaborative document) report here, so the connection indicator
 * can say "reconnecting" or "offline — N edits pending" for all of them in one place.
 */
export interface LiveChannel {
  state: LiveState;
  /** Local changes not yet acknowledged by the server (e.g. Yjs updates typed while offline). */
  pending: boolean;
}
const channels = new Map<string, LiveChannel>();
const liveListeners = new Set<() => void>();

function notifyLive(): void {
  for (const listener of liveListeners) listener();
}

/** Registers or updates a channel by id; `null` removes it (the document was closed). */
export function reportLiveChannel(id: string, channel: LiveChannel | null): void {
  if (channel) channels.set(id, channel);
  else channels.delete(id);
  notifyLive();
}

/** Every channel now: the socket (when it was opened) and each registered document. */
export function liveChannels(): { id: string; channel: LiveChannel }[] {
  const list = [...channels].map(([id, channel]) => ({ id, channel }));
  if (socket) list.unshift({ id: 'socket', channel: { state: socketState, pending: false } });
  return list;
}
export function onLiveChange(listener: () => void): () => void {
  liveListeners.add(listener);
  return () => liveListeners.delete(listener);
}
