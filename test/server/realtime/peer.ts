import { io, type Socket } from 'socket.io-client';
import type { RunningGodo } from '../../../server/index.js';
import type { Ack, ServerEventName, ServerToClientEvents } from '../../../shared/realtime/events.js';

/** One received event, as recorded. */
export interface Received {
  event: ServerEventName;
  payload: any;
}

type PayloadOf<E extends ServerEventName> = Parameters<ServerToClientEvents[E]>[0];

/**
 * A real socket.io-client socket of one person, recording every event it receives so a test can
 * wait for one (no sleeps) and afterwards check everything the person was sent.
 */
export class Peer {
  readonly received: Received[] = [];
  private waiters: { match: (r: Received) => boolean; resolve: (r: Received) => void }[] = [];

  constructor(readonly socket: Socket) {
    socket.onAny((event: ServerEventName, payload: unknown) => {
      const record = { event, payload };
      this.received.push(record);
      this.waiters = this.waiters.filter((w) => {
        if (!w.match(record)) return true;
        w.resolve(record);
        return false;
      });
    });
  }

  /** Resolves with the first received event (already recorded or still to come) matching `event` and `where`. */
  waitFor<E extends ServerEventName>(event: E, where: (payload: PayloadOf<E>) => boolean = () => true): Promise<PayloadOf<E>> {
    const match = (r: Received) => r.event === event && where(r.payload);
    const found = this.received.find(match);
    if (found) return Promise.resolve(found.payload);
    return new Promise((resolve) => this.waiters.push({ match, resolve: (r) => resolve(r.payload) }));
  }

  /** Sends an event (any payload, valid or not) and resolves with the acknowledgement. */
  request<T extends object = { seq?: number }>(event: string, payload?: unknown): Promise<Ack<T>> {
    return this.socket.timeout(5_000).emitWithAck(event, payload) as Promise<Ack<T>>;
  }

  /** Events of one meeting received so far, in order. */
  meetingEvents(callId: string): Received[] {
    return this.received.filter((r) => r.event.startsWith('meeting:') && r.payload?.callId === callId);
  }

  close(): void {
    this.socket.disconnect();
  }
}

/** Opens a socket to the server with a person's session cookie and waits until it is connected. */
export async function connectPeer(godo: Pick<RunningGodo, 'url'>, cookie: string): Promise<Peer> {
  const socket = io(godo.url, {
    transports: ['websocket'],
    extraHeaders: cookie ? { cookie } : {},
    reconnection: false,
    forceNew: true,
  });
  const peer = new Peer(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => reject(error));
  });
  return peer;
}

/** Attempts a connection that the server should refuse; resolves with the refusal. */
export function refusedConnection(godo: Pick<RunningGodo, 'url'>, cookie?: string): Promise<Error & { data?: any }> {
  const socket = io(godo.url, { transports: ['websocket'], extraHeaders: cookie ? { cookie } : {}, reconnection: false, forceNew: true });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => {
      socket.disconnect();
      reject(new Error('the server accepted the connection'));
    });
    socket.once('connect_error', (error) => {
      socket.disconnect();
      resolve(error as Error & { data?: any });
    });
  });
}

/** The sequence numbers of recorded meeting events, in the order they arrived. */
export function seqsOf(events: Received[]): number[] {
  return events.map((r) => r.payload.seq as number);
}
