import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { pathToFileURL } from 'node:url';
import { loadConfig, ConfigError, type Config } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { connectDatabase, type Database } from './db/connect.js';
import { createHttpApp } from './http/app.js';
import { createModels, syncIndexes, type Models } from './models/index.js';
import { seedDemo } from './seed/demo.js';
import { createCollabServer, type CollabServer } from './collab/collabServer.js';
import { linkReportToSignOffs, type ReportSignOffLink } from './collab/report/signOffLink.js';
import { createRealtimeServer, type RealtimeServer } from './realtime/realtimeServer.js';
import { startScaleOut, type ScaleOut } from './scale/scaleOut.js';

export interface RunningGodo {
  url: string;
  port: number;
  server: Server;
  db: Database;
  models: Models;
  /** The consensus-report collaboration server on `/collab/<docName>`. */
  collab: CollabServer;
  /** Report edits re-check sign-offs; `idle()` resolves when no check is running. */
  reportSignOffs: ReportSignOffLink;
  /** Socket.IO on `/socket.io`: panel meetings and live comments. */
  realtime: RealtimeServer;
  /** Set when REDIS_URL is: the Redis side of running several processes. */
  scale: ScaleOut | null;
  logger: Logger;
  close(): Promise<void>;
}

/**
 * Wires config, database and HTTP into a running server. Tests call it with PORT=0 and
 * an in-memory embedded database; `npm start` runs it as the process's main module.
 */
export async function startGodo(
  config: Config,
  options: { inMemoryDb?: boolean; logger?: Logger; clock?: () => Date; clientDir?: string } = {},
): Promise<RunningGodo> {
  const logger = options.logger ?? createLogger(config);
  const clock = options.clock ?? (() => new Date());
  const db = await connectDatabase(config, logger, { inMemory: options.inMemoryDb });
  const models = createModels(db.connection);
  await syncIndexes(models);
  // Several processes (REDIS_URL): Redis first, so the collaboration and realtime servers are built on it.
  const scale = config.REDIS_URL ? await startScaleOut(config.REDIS_URL, config.GODO_INSTANCE_ID, logger) : null;
  // Demo data only into an empty database, and never in production.
  if (config.GODO_SEED_DEMO && config.NODE_ENV !== 'production') await seedDemo(models, logger, clock());
  let collab: CollabServer | undefined;
  const app = createHttpApp({
    db,
    models,
    logger,
    clock,
    secureCookies: config.NODE_ENV === 'production',
    clientDir: options.clientDir,
    collabDocuments: () => collab!.registry,
  });
  const server = createServer(app);
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  collab = createCollabServer({ httpServer: server, models, logger, clock, relay: scale?.collab.relay });
  await scale?.collab.attach(collab.registry);
  const reportSignOffs = linkReportToSignOffs({ registry: collab.registry, models, clock, logger });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.HOST, resolve);
  });
  const realtime = createRealtimeServer({ httpServer: server, models, logger, clock, cluster: scale?.realtime });
  const { port } = server.address() as AddressInfo;
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
  const url = `http://${host}:${port}`;
  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    server,
    db,
    models,
    collab,
    reportSignOffs,
    realtime,
    scale,
    logger,
    close() {
      closing ??= (async () => {
        // Collaboration first: it stores every open document while the database is still up.
        await collab.close();
        reportSignOffs.stop();
        await reportSignOffs.idle();
        // Meetings next: their queued writes finish while the database is still up.
        await realtime.close();
        // Redis after both: departures and the last relayed changes still go out through it.
        await scale?.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
          // An upgrade request nobody answered (a client reconnecting while we shut down) is not an
          // HTTP connection closeAllConnections() knows about; it would hold close() forever.
          for (const socket of sockets) socket.destroy();
        });
        await db.close();
      })();
      return closing;
    },
  };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const godo = await startGodo(config);
  godo.logger.info({ url: godo.url }, `Godo is running at ${godo.url}`);
  const shutdown = (signal: string) => {
    godo.logger.info({ signal }, 'shutting down');
    godo.close().then(
      () => process.exit(0),
      (err) => {
        godo.logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
