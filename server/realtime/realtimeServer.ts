import { Server } from 'socket.io';
import { registerCommentHandlers, relayComments } from './commentHandlers.js';
import { sessionHandshake } from './handshake.js';
import { meetingBroadcaster } from './meetingBroadcast.js';
import { registerMeetingHandlers, type MeetingHandlerDeps } from './meetingHandlers.js';
import { recheckLiveAccess } from './liveAccessRecheck.js';
import { MeetingRooms } from './meetingRooms.js';
import { relayAccessChanges } from './accessRelay.js';
import { closeRevokedSockets, guardSessionPerEvent } from './sessionRevocation.js';
import { registerReviewHandlers, relayReviews } from './reviewEvents.js';
import type { GodoIo, RealtimeDeps } from './types.js';
import { voteBatcher } from './voteBatcher.js';
import { clusterBroadcaster, forwardComments } from '../scale/realtimeCluster.js';

/** Largest message a client may send (agendas of a few hundred ids fit many times over). */
const MAX_MESSAGE_BYTES = 256 * 1024;

/** The Socket.IO server of panel meetings and live comments. */
export interface RealtimeServer {
  io: GodoIo;
  /** Disconnects every socket, waits for queued meeting writes, and stops the engine (the HTTP server stays up). */
  close(): Promise<void>;
}

/**
 * Attaches Socket.IO (default path `/socket.io`) to the HTTP server. Sockets are authenticated from
 * the session cookie at the handshake; every event is validated, authorized and acknowledged.
 */
export function createRealtimeServer(deps: RealtimeDeps): RealtimeServer {
  const io: GodoIo = new Server(deps.httpServer, {
    serveClient: false,
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    // Other upgrade handlers share this HTTP server (the collaboration server on /collab/...):
    // engine.io must not end upgrades that are not its own.
    destroyUpgrade: false,
    // Several processes (REDIS_URL): rooms, broadcasts and server-side events go through Redis.
    ...(deps.cluster ? { adapter: deps.cluster.adapter } : {}),
  });
  const logger = deps.logger.child({ component: 'realtime' });
  const rooms = new MeetingRooms();
  const presence = deps.cluster?.presence;
  const local = meetingBroadcaster(
    io,
    deps.models,
    rooms,
    deps.clock,
    presence ? (callId) => presence.attendance(callId, rooms.attendance(callId)) : undefined,
  );
  const broadcaster = deps.cluster ? clusterBroadcaster(io, local, rooms, logger) : local;
  let closing = false;
  const votes = voteBatcher({ models: deps.models, rooms, broadcaster });
  const meetingDeps: MeetingHandlerDeps = { models: deps.models, logger, clock: deps.clock, rooms, broadcaster, closing: () => closing, presence, votes };

  io.use(sessionHandshake(deps.models, deps.clock));
  io.on('connection', (socket) => {
    guardSessionPerEvent(socket, deps.models, deps.clock, logger);
    registerMeetingHandlers(socket, meetingDeps);
    registerCommentHandlers(socket, { models: deps.models, logger });
    registerReviewHandlers(socket, { models: deps.models, logger });
  });
  const stopRelay = relayComments(io, deps.models, logger);
  const stopReviews = relayReviews(io, deps.models, logger, Boolean(deps.cluster));
  const stopForwarding = deps.cluster ? forwardComments(io, deps.models, logger) : () => undefined;
  // Sign-out and password changes close the person's other sockets at once, on every process.
  const stopRevocations = closeRevokedSockets(io, deps.models, deps.clock, logger, Boolean(deps.cluster));
  // Conflicts, phases, memberships and sign-offs changed elsewhere reach this process's report connections.
  const stopAccessRelay = deps.cluster ? relayAccessChanges(io, logger) : () => undefined;
  // ...and this process's meeting sockets and comment subscriptions, checked again by the same policies.
  const stopRecheck = recheckLiveAccess(io, meetingDeps);

  let closed: Promise<void> | undefined;
  return {
    io,
    close() {
      closed ??= (async () => {
        closing = true;
        stopRelay();
        stopReviews();
        stopForwarding();
        stopRevocations();
        stopAccessRelay();
        stopRecheck();
        io.disconnectSockets(true);
        await rooms.drain();
        io.engine.close();
        // io.close() would close the HTTP server too; the Redis adapter is closed on its own (stops its stream reader).
        if (deps.cluster) await io.of('/').adapter.close();
      })();
      return closed;
    },
  };
}
