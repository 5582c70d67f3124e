import { useEffect, useRef } from 'react';
import { realtimeSocket, type GodoClientSocket } from '../../realtime/socket';

/** Subscriptions a page can hold on the shared socket (see shared/realtime/events.ts). */
export type LiveKind = 'comment' | 'review';
export type LivePayload = { proposalId: string } | { callId: string };

// Several components may follow the same thing (the comment aside and the report's comment rail):
// the server-side subscription is held while any of them is mounted.
const holders = new Map<string, number>();

function send(socket: GodoClientSocket, kind: LiveKind, payload: LivePayload, on: boolean): Promise<boolean> {
  const event = `${kind}:${on ? 'subscribe' : 'unsubscribe'}`;
  // The typed map declares each event with its own payload; the pair here is checked by LiveKind.
  const untyped = socket.timeout(10_000) as unknown as { emit(event: string, payload: unknown, ack: (error: unknown, answer?: { ok: boolean }) => void): void };
  return new Promise((resolve) => untyped.emit(event, payload, (error, answer) => resolve(!error && answer?.ok === true)));
}

/**
 * Holds a live subscription (`comment:subscribe` / `review:subscribe`) on the shared socket while
 * mounted, renewing it on every reconnection (the server forgets rooms with the connection).
 * `onSynced` runs after each accepted subscription: events may have been missed before it (the
 * first fetch raced it, or the connection was down), so the caller refetches then.
 */
export function useLiveSubscription(kind: LiveKind, payload: LivePayload | null, onSynced: () => void): void {
  const synced = useRef(onSynced);
  synced.current = onSynced;
  const key = payload ? `${kind}:${JSON.stringify(payload)}` : null;
  useEffect(() => {
    if (!key || !payload) return;
    const socket = realtimeSocket();
    holders.set(key, (holders.get(key) ?? 0) + 1);
    let active = true;
    const subscribe = () => {
      void send(socket, kind, payload, true).then((ok) => {
        if (ok && active) synced.current();
      });
    };
    if (socket.connected) subscribe();
    socket.on('connect', subscribe);
    return () => {
      active = false;
      socket.off('connect', subscribe);
      const left = (holders.get(key) ?? 1) - 1;
      if (left > 0) holders.set(key, left);
      else {
        holders.delete(key);
        if (socket.connected) void send(socket, kind, payload, false);
      }
    };
    // `key` stands for kind and payload.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
}
