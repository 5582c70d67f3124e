import net from 'node:net';
import { pino, type Logger } from 'pino';
import { CursorRegistry } from './commands/cursors.js';
import { runCommand } from './commands/dispatch.js';
import type { ServerContext } from './commands/context.js';
import { FailPoints } from './commands/failPoints.js';
import { SessionRegistry } from './commands/sessions.js';
import { openStorage } from './storage/engine.js';
import type { StorageEngine } from './storage/types.js';
import { Connection } from './wire/connection.js';

/** Options of {@link startEmbeddedServer}. */
export interface EmbeddedServerOptions {
  /** TCP port; 0 picks a free one (tests). */
  port?: number;
  /** Interface to bind; loopback by default so the database is never exposed by accident. */
  host?: string;
  /** Data directory, or null to keep everything in memory. */
  dbpath: string | null;
  logger?: Logger;
  /** Storage compaction threshold (bytes of write-ahead log). */
  compactLogBytes?: number;
  /** Idle cursors are closed after this long (default 10 minutes, as MongoDB). */
  cursorTimeoutMs?: number;
}

/** A running embedded server. */
export interface EmbeddedServer {
  port: number;
  /** A MongoDB connection string for the driver or Mongoose. */
  uri: string;
  storage: StorageEngine;
  /** Stops accepting, drops connections and cursors, flushes and closes storage. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts the embedded MongoDB-compatible server: opens storage (recovering it from `dbpath`)
 * and listens for the wire protocol. Throws when storage cannot be opened (e.g. the data
 * directory is locked by another process) or the port cannot be bound.
 */
export async function startEmbeddedServer(options: EmbeddedServerOptions): Promise<EmbeddedServer> {
  const logger = options.logger ?? pino({ level: 'warn' });
  const host = options.host ?? '127.0.0.1';
  const storage = await openStorage({
    dir: options.dbpath,
    compactLogBytes: options.compactLogBytes,
    onEvent: (event) => logger.info({ storageEvent: event.kind }, event.message),
  });
  const ctx: ServerContext = {
    storage,
    cursors: new CursorRegistry(options.cursorTimeoutMs ?? 10 * 60 * 1000),
    failPoints: new FailPoints(),
    sessions: new SessionRegistry(),
    logger,
    counters: {
      connectionsCurrent: 0,
      connectionsTotal: 0,
      opcounters: { insert: 0, query: 0, update: 0, delete: 0, getmore: 0, command: 0 },
    },
    startedAt: new Date(),
    address: '',
    validators: new WeakMap(),
  };
  const connections = new Set<Connection>();
  const server = net.createServer((socket) => {
    ctx.counters.connectionsTotal++;
    ctx.counters.connectionsCurrent++;
    const connection = new Connection(socket, {
      id: ctx.counters.connectionsTotal,
      logger,
      run: (command, info) => runCommand(ctx, command, info),
      onClose: (closed) => {
        connections.delete(closed);
        ctx.counters.connectionsCurrent--;
      },
    });
    connections.add(connection);
  });
  server.on('error', (err) => logger.error({ err }, 'embedded server socket error'));
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    ctx.cursors.close();
    await storage.close();
    throw err;
  }
  const port = (server.address() as net.AddressInfo).port;
  const hostPart = host.includes(':') ? `[${host}]` : host;
  ctx.address = `${hostPart}:${port}`;
  let closing: Promise<void> | undefined;
  return {
    port,
    uri: `mongodb://${hostPart}:${port}/?directConnection=true`,
    storage,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const connection of connections) connection.destroy();
        await stopped;
        ctx.cursors.close();
        await storage.close();
      })();
      return closing;
    },
  };
}
