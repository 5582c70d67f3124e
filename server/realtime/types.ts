import type { Server as HttpServer } from 'node:http';
import type { Logger } from 'pino';
import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/realtime/events.js';
import type { Models } from '../models/index.js';
import type { CallAccess } from '../policies/access.js';

/** Who a socket belongs to (set by the handshake) and which meetings it follows (set on join). */
export interface SocketData {
  user: { id: string; name: string; isAdmin: boolean; timeZone: string };
  /** callId -> the person's access to that call, loaded when the socket joined its meeting. */
  meetings: Map<string, CallAccess>;
  /** proposalIds whose comments the socket receives live. */
  commentSubscriptions: Set<string>;
}

// Server-to-server events are unused: Godo runs one process with Socket.IO's in-memory adapter.
type InterServerEvents = Record<string, never>;

export type GodoIo = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type GodoSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** What the realtime layer is built from (injected by server/index.ts, fresh per server in tests). */
export interface RealtimeDeps {
  httpServer: HttpServer;
  models: Models;
  logger: Logger;
  clock: () => Date;
}

/** The sockets of one room on this process (the in-memory adapter knows them all). */
export function socketsIn(io: GodoIo, room: string): GodoSocket[] {
  const ids = io.sockets.adapter.rooms.get(room);
  if (!ids) return [];
  const sockets: GodoSocket[] = [];
  for (const id of ids) {
    const socket = io.sockets.sockets.get(id);
    if (socket) sockets.push(socket);
  }
  return sockets;
}
