import { MongoClient, type Db, type Document, type Int32, type Long, type ObjectId } from 'mongodb';
import { pino, type Logger } from 'pino';
import { startEmbeddedServer, type EmbeddedServer } from '../../../../server/db/embedded/server.js';

/** A document type loose enough for tests that use numbers, strings and ObjectIds as `_id`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Loose = { _id?: number | string | ObjectId | Int32 | Long | null; [key: string]: any };

/** A running embedded server (in memory, port 0) with a connected driver client. */
export interface TestServer {
  server: EmbeddedServer;
  client: MongoClient;
  db: Db;
  /** Runs a raw command on `db` and returns the reply, including `ok: 0` replies (no throw). */
  run(command: Document, dbName?: string): Promise<Document>;
  close(): Promise<void>;
}

/** Starts a fresh server and client; `logger` defaults to a silent one. */
export async function startTestServer(options: { logger?: Logger; dbName?: string; cursorTimeoutMs?: number } = {}): Promise<TestServer> {
  const server = await startEmbeddedServer({
    port: 0,
    dbpath: null,
    logger: options.logger ?? pino({ level: 'silent' }),
    cursorTimeoutMs: options.cursorTimeoutMs,
  });
  const client = new MongoClient(server.uri, { serverSelectionTimeoutMS: 5000 });
  await client.connect();
  const db = client.db(options.dbName ?? 'test');
  return {
    server,
    client,
    db,
    async run(command, dbName) {
      try {
        return await client.db(dbName ?? db.databaseName).command(command);
      } catch (err) {
        const response = (err as { errorResponse?: Document }).errorResponse;
        if (response) return response;
        throw err;
      }
    },
    async close() {
      await client.close();
      await server.close();
    },
  };
}

/** A driver error with the server's fields. */
export type CaughtError = Error & { code?: number; codeName?: string; [key: string]: unknown };

/** Captures an error thrown by `fn` (fails the test if nothing is thrown). */
export async function caught(fn: () => Promise<unknown>): Promise<CaughtError> {
  try {
    await fn();
  } catch (err) {
    return err as CaughtError;
  }
  throw new Error('expected an error');
}
