import mongoose from 'mongoose';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { startEmbeddedServer } from './embedded/server.js';
import { startEmbeddedServerInWorker } from './embedded/worker.js';

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
    serverSelectionTimeoutMS: 10_000,
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
