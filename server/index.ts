import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { pathToFileURL } from 'node:url';
import { loadConfig, ConfigError, type Config } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { connectDatabase, type Database } from './db/connect.js';
import { createHttpApp } from './http/app.js';
import { createModels, syncIndexes, type Models } from './models/index.js';
import { seedDemo } from './seed/demo.js';
import { flushHeldAudit, useAuditLogger } from './commands/audit/recordAudit.js';
import { createCollabServer, type CollabServer } from './collab/collabServer.js';
import { linkReportToSignOffs, type ReportSignOffLink } from './collab/report/signOffLink.js';
import { createRealtimeServer, type RealtimeServer } from './realtime/realtimeServer.js';
import { startScaleOut, type ScaleOut } from './scale/scaleOut.js';
import { serviceHealth, type ServiceHealth } from './http/health.js';
import { lowerBackgroundThreads } from './runtime/backgroundPriority.js';

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
  /** What `/healthz` reports besides the database: draining, Redis. */
  health: ServiceHealth;
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
  // After the database: its worker thread and the file-system pool exist by now (see the function).
  lowerBackgroundThreads(config.GODO_BACKGROUND_NICE, logger);
  const models = createModels(db.connection);
  // Audit entries the database cannot take right after a command's write are logged and held (recordAudit.ts).
  useAuditLogger(models, logger);
  await syncIndexes(models);
  // Several processes (REDIS_URL): Redis first, so the collaboration and realtime servers are built on it.
  const scale = config.REDIS_URL ? await startScaleOut(config.REDIS_URL, config.GODO_INSTANCE_ID, logger, { offlineQueueMax: config.REDIS_OFFLINE_QUEUE_MAX }) : null;
  // Demo data only into an empty database, and never in production.
  if (config.GODO_SEED_DEMO && config.NODE_ENV !== 'production') await seedDemo(models, logger, clock());
  const health = serviceHealth(scale ? () => scale.health() : null);
  let collab: CollabServer | undefined;
  const app = createHttpApp({
    health,
    db,
    models,
    logger,
    clock,
    secureCookies: config.NODE_ENV === 'production',
    trustProxy: config.GODO_TRUST_PROXY,
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
    health,
    logger,
    close() {
      // Health answers 503 "draining" from this instant, while the steps below finish in-flight work.
      health.beginDraining();
      closing ??= (async () => {
        // Collaboration and meetings together, so every client is told to move on at once (not only
        // after the documents are stored): each closes its sockets first, then finishes its own work
        // (storing open documents; queued meeting writes) while the database is still up.
        await Promise.all([
          (async () => {
            await collab.close();
            reportSignOffs.stop();
            await reportSignOffs.idle();
          })(),
          realtime.close(),
        ]);
        // Redis after both: departures and the last relayed changes still go out through it.
        await scale?.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
          // An upgrade request nobody answered (a client reconnecting while we shut down) is not an
          // HTTP connection closeAllConnections() knows about; it would hold close() forever.
          for (const socket of sockets) socket.destroy();
        });
        // Audit entries held through a database outage: one more try, else logged as lost in full.
        await flushHeldAudit(models);
        await db.close();
      })();
      return closing;
    },
  };
}

/** Longer than the collaboration server's final flush retries (10 s), shorter than a typical 30 s stop timeout. */
const SHUTDOWN_DEADLINE_MS = 25_000;

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
    // A database that never answers must not keep a stopping process alive forever (the
    // orchestrator would SIGKILL it anyway); edits not stored by then are logged as lost by the save queue.
    setTimeout(() => {
      godo.logger.error({ afterMs: SHUTDOWN_DEADLINE_MS }, 'shutdown did not finish in time; exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
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
