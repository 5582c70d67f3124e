import type { Server as HttpServer } from 'node:http';
import type { Logger } from 'pino';
import type { Server, ServerOptions, Socket } from 'socket.io';
import type { Attendee } from '../../shared/realtime/meetingState.js';
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

/**
 * Server-to-server events, used only when several processes share Redis (REDIS_URL); with one
 * process the in-memory adapter never sends them. Payloads are EJSON text (ObjectIds and dates survive).
 */
export interface InterServerEvents {
  /** A meeting change made on another process, for this process's sockets (filtered here, per person). */
  'godo:meetingChange': (change: string) => void;
  /** A comment written or changed on another process, for this process's subscribers. */
  'godo:comment': (event: string) => void;
  /** Someone's sessions were revoked on another process (sign-out, password change): re-check their sockets. */
  'godo:sessionRevoked': (userId: string) => void;
  /** Access changed on another process (conflict, phase, membership, sign-off): JSON of an AccessChange. */
  'godo:accessChanged': (change: string) => void;
}

export type GodoIo = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type GodoSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** What the realtime layer is built from (injected by server/index.ts, fresh per server in tests). */
export interface RealtimeDeps {
  httpServer: HttpServer;
  models: Models;
  logger: Logger;
  clock: () => Date;
  /** Set when several processes serve sockets (REDIS_URL): see server/scale/realtimeCluster.ts. */
  cluster?: RealtimeCluster;
}

/** Who is present in which meeting, across every process (the local presence is MeetingRooms). */
export interface MeetingPresence {
  /** A person's first socket on this process joined the meeting. */
  arrived(callId: string, attendee: Attendee): Promise<void>;
  /** A person's last socket on this process left the meeting. */
  departed(callId: string, userId: string): Promise<void>;
  /** Everyone present on any live process, in order of arrival (`local`: this process's view, used if Redis fails). */
  attendance(callId: string, local: Attendee[]): Promise<Attendee[]>;
}

/** What the realtime layer needs to run as one of several processes. */
export interface RealtimeCluster {
  adapter: NonNullable<Partial<ServerOptions>['adapter']>;
  presence: MeetingPresence;
}

/** The sockets of one room on THIS process (with the Redis adapter too: other processes deliver to their own). */
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
