import mongoose from 'mongoose';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
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
  });
  await connection.asPromise();
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
