import type { Logger } from 'pino';
import type { Ack } from '../../shared/realtime/events.js';
import { announceRevocation, onRevocation } from '../commands/auth/revocations.js';
import { resolveSession } from '../commands/auth/sessions.js';
import { DatabaseUnavailableError, isDatabaseKnownDown, isDatabaseUnreachable } from '../db/dbHealth.js';
import { readSessionToken } from '../http/middleware/session.js';
import type { Models } from '../models/index.js';
import { toRealtimeError } from './acks.js';
import type { GodoIo, GodoSocket } from './types.js';

/** Events that only leave rooms (no database work, no new access). */
const RELEASING_EVENTS = new Set(['meeting:leave', 'comment:unsubscribe', 'review:unsubscribe']);

const REVOKED: Ack = { ok: false, error: { code: 'unauthenticated', message: 'Your session has ended; sign in again' } };

/**
 * Whether the session the socket was opened with is still live. `unreachable`: the database could
 * not be asked (the event is answered `unavailable` at once: its handler would wait for the
 * database again, and two server-selection waits in a row outlasted clients' ack timeouts in the
 * database-outage test). Any other database error counts as live: the handler fails on its own.
 */
async function sessionState(socket: GodoSocket, models: Models, clock: () => Date, logger: Logger): Promise<'live' | 'ended' | 'unreachable'> {
  const token = readSessionToken(socket.handshake.headers.cookie);
  if (!token) return 'ended';
  // Known away: no five-second wait per event (events queue behind one another's checks).
  if (isDatabaseKnownDown(models)) return 'unreachable';
  try {
    return (await resolveSession(models, token, clock())) !== null ? 'live' : 'ended';
  } catch (error) {
    if (isDatabaseUnreachable(error)) return 'unreachable';
    logger.warn({ err: error }, 'realtime: session re-check failed; keeping the socket');
    return 'live';
  }
}

/** Answers an event's acknowledgement, if it has one; a client's broken callback is its own problem. */
function answer(packet: unknown[], response: Ack): void {
  const ack = packet[packet.length - 1];
  if (typeof ack !== 'function') return;
  try {
    (ack as (response: Ack) => void)(response);
  } catch {
    // nothing to do: the socket carries on (or is being closed)
  }
}

/**
 * How long a confirmed session is trusted for the socket's next events. Revocations are pushed at
 * once (`closeRevokedSockets`, across processes too), so this re-check only covers what no push
 * announces (expiry, a lost inter-process message); checking on every event cost two database
 * reads per vote or keystroke-rate event under load.
 */
const SESSION_RECHECK_MS = 5_000;

/**
 * Events of the socket re-check its session (at most every SESSION_RECHECK_MS): an event on a
 * session that was signed out or cut off by a password change (on any process: sessions live in
 * MongoDB) is answered `unauthenticated` and the socket is disconnected, before any handler runs.
 */
export function guardSessionPerEvent(socket: GodoSocket, models: Models, clock: () => Date, logger: Logger): void {
  // Checks run one after another so events reach their handlers in the order the client sent them.
  let checked: Promise<unknown> | null = null;
  let verifiedAt = clock().getTime(); // the handshake has just checked it
  socket.use((packet, next) => {
    if (checked === null && clock().getTime() - verifiedAt < SESSION_RECHECK_MS) return next();
    const previous = checked ?? Promise.resolve();
    const current: Promise<unknown> = previous.then(async () => {
      if (clock().getTime() - verifiedAt < SESSION_RECHECK_MS) return next();
      const state = await sessionState(socket, models, clock, logger);
      if (state === 'live') {
        verifiedAt = clock().getTime();
        return next();
      }
      if (state === 'unreachable') {
        // Leaving a room needs no database and only narrows what the socket receives: let it through.
        if (RELEASING_EVENTS.has(String(packet[0]))) return next();
        return answer(packet, { ok: false, error: toRealtimeError(new DatabaseUnavailableError(), logger) });
      }
      answer(packet, REVOKED);
      socket.disconnect(true);
    }).catch((error: unknown) => logger.warn({ err: error }, 'realtime: event after the session check failed'))
      .finally(() => {
        if (checked === current) checked = null;
      });
    checked = current;
  });
}

/**
 * Closes, at once, the sockets whose session was just revoked. Revocations are announced in this
 * process (`announceRevocation`); with several processes (`clustered`) each local announcement is
 * relayed to the others as the `godo:sessionRevoked` server-side event, and re-announced there so
 * their sockets and collaboration connections are re-checked too. Returns the stop function.
 */
export function closeRevokedSockets(io: GodoIo, models: Models, clock: () => Date, logger: Logger, clustered: boolean): () => void {
  const recheck = (userId: string) => {
    for (const socket of io.sockets.sockets.values()) {
      if (socket.data.user?.id !== userId) continue;
      void sessionState(socket, models, clock, logger).then((state) => {
        // Unreachable: kept; its next event re-checks (and is answered `unavailable` meanwhile).
        if (state !== 'ended') return;
        logger.info({ userId }, 'realtime: session revoked; disconnecting');
        socket.disconnect(true);
      });
    }
  };
  const stop = onRevocation(({ userId, remote }) => {
    recheck(userId);
    if (clustered && !remote) io.serverSideEmit('godo:sessionRevoked', userId);
  });
  // Re-announced locally, a peer's revocation reaches this process's collaboration server as well.
  const fromPeer = (userId: unknown) => {
    if (typeof userId === 'string') announceRevocation({ userId, remote: true });
  };
  if (clustered) io.on('godo:sessionRevoked', fromPeer);
  return () => {
    stop();
    if (clustered) io.off('godo:sessionRevoked', fromPeer);
  };
}
