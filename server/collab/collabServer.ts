import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import { COLLAB_CLOSE_CODES, COLLAB_PATH } from '../../shared/collab.js';
import { onAccessChange } from '../commands/access/accessChanges.js';
import { onRevocation } from '../commands/auth/revocations.js';
import { onDatabaseReconnected } from '../db/dbHealth.js';
import type { Models } from '../models/index.js';
import { accessChangeConcerns, sessionAccessResolver, type AccessDecision, type ConnectionGrant, type ResolveAccess } from './access.js';
import { Connection } from './connection.js';
import type { DocumentRelay } from './document.js';
import { collabLimits, type CollabLimits } from './limits.js';
import { mongoPersistence } from './mongoPersistence.js';
import type { CollabPersistence } from './persistence.js';
import { DocumentRegistry, type RegistryStats } from './registry.js';

/** What the collaboration server is built from. */
export interface CollabServerDeps {
  httpServer: Server;
  models: Models;
  logger: Logger;
  clock: () => Date;
  /** Defaults to MongoDB through the models (`mongoPersistence`). */
  persistence?: CollabPersistence;
  /** Defaults to the session cookie + policies (`sessionAccessResolver`). */
  resolveAccess?: ResolveAccess;
  limits?: Partial<CollabLimits>;
  /** Set when several processes serve documents (REDIS_URL): see server/scale/collabRelay.ts. */
  relay?: DocumentRelay;
}

/** Live numbers: documents, connections, pending saves, upgrades being authenticated. */
export interface CollabStats extends RegistryStats {
  upgrading: number;
}

/** A running collaboration server. */
export interface CollabServer {
  registry: DocumentRegistry;
  stats(): CollabStats;
  /** Re-checks every live connection's access now (also done every `revalidateMs`), or only `userId`'s. */
  revalidate(userId?: string): Promise<void>;
  /** Stops accepting connections, closes the open ones, stores every document. Never rejects. */
  close(): Promise<void>;
}

function sameOrigin(request: IncomingMessage): boolean {
  // Browsers send cookies with cross-site websocket handshakes: refuse foreign pages (CSWSH).
  const origin = request.headers.origin;
  if (!origin) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

function pathnameOf(url: string | undefined): string {
  try {
    return new URL(url ?? '/', 'http://localhost').pathname;
  } catch {
    return '';
  }
}

function docNameOf(pathname: string): string | null {
  try {
    return decodeURIComponent(pathname.slice(COLLAB_PATH.length + 1));
  } catch {
    return null;
  }
}

/**
 * The y-websocket protocol server on Godo's HTTP server, at `/collab/<docName>` (the transport:
 * upgrade handling with a `ws` server in noServer mode). Access is decided before the websocket is
 * opened; a refused client gets a websocket closed at once with a shared close code, so y-websocket
 * stops reconnecting instead of retrying a plain HTTP refusal forever.
 */
export function createCollabServer(deps: CollabServerDeps): CollabServer {
  const limits = collabLimits(deps.limits);
  const logger = deps.logger.child({ component: 'collab' });
  const persistence = deps.persistence ?? mongoPersistence(deps.models, deps.clock);
  const resolveAccess = deps.resolveAccess ?? sessionAccessResolver(deps.models, deps.clock);
  const registry = new DocumentRegistry({ persistence, logger, clock: deps.clock, limits, relay: deps.relay });
  // ws refuses frames above maxPayload itself (close 1009); below that we refuse with our own code.
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxFrameBytes * 4, perMessageDeflate: false, clientTracking: false });
  const handshakes = new Map<Connection, IncomingMessage['headers']>();
  const refused = new Set<WebSocket>();
  let upgrading = 0;
  let closing = false;
  /** Access changes announced so far: an upgrade whose check overlapped one is checked again once accepted. */
  let accessChanges = 0;

  const accept = (ws: WebSocket, grant: ConnectionGrant, headers: IncomingMessage['headers'], changesBefore: number) => {
    const connection = new Connection(ws, grant, {
      logger,
      limits,
      onClose: (closed) => {
        handshakes.delete(closed);
        registry.release(closed);
      },
    });
    handshakes.set(connection, { cookie: headers.cookie, host: headers.host, origin: headers.origin });
    logger.debug({ docName: grant.docName, userId: grant.user.id, readOnly: grant.readOnly }, 'collab: connected');
    registry.attach(connection).catch(() => {
      connection.close(closing ? COLLAB_CLOSE_CODES.shuttingDown : COLLAB_CLOSE_CODES.internal, 'document could not be loaded');
    });
    // Its access was read before a change announced meanwhile (a client reconnecting because of one
    // change while the next lands): the re-check that change started did not see this connection.
    if (accessChanges !== changesBefore) void revalidateWhere((other) => other === connection.grant);
  };

  const decide = async (request: IncomingMessage): Promise<AccessDecision> => {
    const docName = docNameOf(pathnameOf(request.url));
    if (docName === null) return { ok: false, code: COLLAB_CLOSE_CODES.notFound, reason: 'no such document' };
    if (!sameOrigin(request)) return { ok: false, code: COLLAB_CLOSE_CODES.forbidden, reason: 'cross-site connection refused' };
    try {
      return await resolveAccess(request.headers, docName);
    } catch (error) {
      logger.error({ err: error, docName }, 'collab: access check failed');
      return { ok: false, code: COLLAB_CLOSE_CODES.internal, reason: 'access check failed' };
    }
  };

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!pathnameOf(request.url).startsWith(`${COLLAB_PATH}/`)) return; // another upgrade handler's (e.g. Socket.IO)
    // A client that resets during the access check must not crash the server.
    socket.on('error', (error) => logger.debug({ err: error }, 'collab: upgrade socket error'));
    upgrading += 1;
    const changesBefore = accessChanges;
    const decided = closing ? Promise.resolve<AccessDecision>({ ok: false, code: COLLAB_CLOSE_CODES.shuttingDown, reason: 'server shutting down' }) : decide(request);
    void decided.then((decision) => {
      upgrading -= 1;
      if (socket.destroyed) return;
      if (closing && decision.ok) decision = { ok: false, code: COLLAB_CLOSE_CODES.shuttingDown, reason: 'server shutting down' };
      wss.handleUpgrade(request, socket, head, (ws) => {
        if (!decision.ok) {
          logger.info({ url: request.url, code: decision.code, reason: decision.reason }, 'collab: connection refused');
          refused.add(ws);
          ws.on('close', () => refused.delete(ws));
          ws.on('error', () => undefined);
          ws.close(decision.code, decision.reason);
          return;
        }
        accept(ws, decision.grant, request.headers, changesBefore);
      });
    });
  };

  const revalidateWhere = async (affected: (grant: ConnectionGrant) => boolean) => {
    await Promise.all(
      [...handshakes].filter(([connection]) => affected(connection.grant)).map(async ([connection, headers]) => {
        let decision: AccessDecision;
        try {
          decision = await resolveAccess(headers, connection.docName);
        } catch (error) {
          logger.warn({ err: error, docName: connection.docName }, 'collab: access re-check failed; keeping the connection');
          return;
        }
        if (!decision.ok) {
          connection.logger.info({ code: decision.code }, 'collab: access withdrawn; closing');
          connection.close(decision.code, decision.reason);
        } else if (decision.grant.readOnly !== connection.readOnly) {
          // Closed rather than switched in place: the client reconnects at once (a 45xx code) with
          // the new access and asks again what it may do, instead of typing into dropped edits.
          connection.logger.info({ readOnly: decision.grant.readOnly }, 'collab: write access changed; closing for a reconnect');
          connection.close(COLLAB_CLOSE_CODES.accessChanged, decision.grant.readOnly ? 'now read-only' : 'now writable');
        }
      }),
    );
  };
  const revalidate = (userId?: string) => revalidateWhere((grant) => userId === undefined || grant.user.id === userId);

  deps.httpServer.on('upgrade', onUpgrade);
  const revalidation = limits.revalidateMs > 0 ? setInterval(() => void revalidate(), limits.revalidateMs) : null;
  revalidation?.unref();
  // A sign-out or password change (here, or on another process: see realtime/sessionRevocation.ts)
  // closes the person's connections on revoked sessions now rather than at the next timed re-check.
  const stopRevocations = onRevocation(({ userId }) => void revalidate(userId));
  // A conflict, phase, membership or sign-off change (here, or on another process: realtime/accessRelay.ts)
  // re-checks the connections it concerns now rather than at the next timed re-check.
  const stopAccessChanges = onAccessChange((change) => {
    accessChanges += 1;
    void revalidateWhere((grant) => accessChangeConcerns(change, grant));
  });

  // Failed saves retry with backoff (up to limits.retryMaxMs, 30 s): after a long outage the edits
  // held in memory would wait that long once the database is back.
  const stopReconnects = onDatabaseReconnected(deps.models, () => {
    const waiting = registry.retryFailedSaves();
    if (waiting > 0) logger.info({ documents: waiting }, 'collab: database reachable again; storing the edits held in memory now');
  });

  let closed: Promise<void> | undefined;
  return {
    registry,
    stats: () => ({ ...registry.stats(), upgrading }),
    revalidate,
    close() {
      closed ??= (async () => {
        closing = true;
        deps.httpServer.off('upgrade', onUpgrade);
        if (revalidation) clearInterval(revalidation);
        stopRevocations();
        stopAccessChanges();
        stopReconnects();
        for (const ws of refused) ws.terminate();
        try {
          await registry.close();
        } catch (error) {
          logger.error({ err: error }, 'collab: closing the document registry failed');
        }
        wss.close();
      })();
      return closed;
    },
  };
}
