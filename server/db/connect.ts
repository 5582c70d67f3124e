import mongoose from 'mongoose';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { watchReachability } from './dbHealth.js';
import { startEmbeddedServer } from './embedded/server.js';
import { startEmbeddedServerInWorker } from './embedded/worker.js';

/**
 * How Godo behaves while the database is away (chosen together; see README "When the database goes away"):
 *
 * - `bufferCommands: false`: Mongoose would otherwise queue every operation while it thinks it is
 *   disconnected and fail it after `bufferTimeoutMS` with a generic error. Without the buffer each
 *   operation goes to the driver, whose wait is bounded by server selection, and fails with a
 *   driver error that `isDatabaseUnreachable` recognises (REST: 503 `unavailable`). Models are
 *   only built after the first connection, so nothing runs before the driver has a collection.
 * - `serverSelectionTimeoutMS: 5000`: how long an operation waits for a reachable server before
 *   failing. Short enough that a request fails with a clear 503 well before a balancer's or a
 *   browser's own timeout, long enough to ride out a replica-set election (typically 2–5 s with
 *   MongoDB's defaults) without failing writes.
 * - `heartbeatFrequencyMS: 2000`: the driver's monitor re-checks a lost server this often (and at
 *   once when an operation is waiting), so a restored database is noticed within ~2 s even when
 *   nothing is asking for it.
 * - The collaboration save queue keeps failed edits in memory and retries with backoff; meeting
 *   commands fail (not acknowledged) and the client retries. Nothing unacknowledged is claimed.
 */
export const DATABASE_OUTAGE_SETTINGS = Object.freeze({
  bufferCommands: false,
  serverSelectionTimeoutMS: 5_000,
  heartbeatFrequencyMS: 2_000,
});

/**
 * The driver's connection pool ceiling for the embedded database. The driver opens a connection
 * whenever a query finds none idle and never closes idle ones (maxIdleTimeMS 0), so with its default
 * ceiling (100) the pool ratcheted up to each burst's peak of concurrent queries: 20 reports opened
 * at once (session, access and load queries each) left 28 sockets after the bench's first round and
 * 41 after its tenth, each with its streams, closures and server session (issue #6, the memory
 * bench's "zero growth" target). The embedded server runs every command on one thread, so more
 * connections add no throughput (REST bench: 44/75 req/s at 16, 37/65 at 100): queries beyond the
 * ceiling wait in the driver's queue instead. 16 still lets group commit batch concurrent writes.
 * A MONGODB_URI keeps the driver's defaults (or its own `maxPoolSize=` in the URI): a real server
 * does run queries in parallel.
 */
export const EMBEDDED_MAX_POOL_SIZE = 16;

export interface Database {
  connection: mongoose.Connection;
  /** Where it is: the user's MongoDB or the embedded server's loopback URI. */
  uri: string;
  embedded: boolean;
  close(): Promise<void>;
}

/**
 * Connects Mongoose to MONGODB_URI, or starts the embedded MongoDB-compatible server
 * (in a worker thread by default, so database work does not share the app's event loop).
 * Each call makes its own connection: tests run several servers in one process.
 */
export async function connectDatabase(
  config: Pick<Config, 'MONGODB_URI' | 'GODO_DATA_DIR' | 'GODO_DB_WORKER' | 'GODO_DB_PORT'> & { dbName?: string },
  logger: Logger,
  options: { inMemory?: boolean } = {},
): Promise<Database> {
  let uri: string = config.MONGODB_URI ?? '';
  let stopEmbedded: () => Promise<void> = async () => {};
  if (!uri) {
    const embeddedOptions = { port: config.GODO_DB_PORT, dbpath: options.inMemory ? null : config.GODO_DATA_DIR };
    const embedded = config.GODO_DB_WORKER
      ? await startEmbeddedServerInWorker(embeddedOptions)
      : await startEmbeddedServer({ ...embeddedOptions, logger: logger.child({ component: 'embedded-db' }) });
    uri = embedded.uri;
    stopEmbedded = () => embedded.close();
    logger.info({ uri, dataDir: embeddedOptions.dbpath ?? '(memory)', worker: config.GODO_DB_WORKER }, 'embedded database started');
  }
  const connection = mongoose.createConnection(uri, {
    dbName: config.dbName ?? (config.MONGODB_URI ? undefined : 'godo'),
    ...DATABASE_OUTAGE_SETTINGS,
    ...(config.MONGODB_URI ? {} : { maxPoolSize: EMBEDDED_MAX_POOL_SIZE }),
  });
  await connection.asPromise();
  // Lets queued work fail at once while no server answers (isDatabaseKnownDown).
  watchReachability(connection);
  logger.info({ embedded: !config.MONGODB_URI }, 'database connected');
  return {
    connection,
    uri,
    embedded: !config.MONGODB_URI,
    async close() {
      await connection.close();
      await stopEmbedded();
    },
  };
}
