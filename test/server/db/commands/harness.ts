import { randomBytes } from 'node:crypto';
import { MongoClient, type Db, type Document, type Int32, type Long, type ObjectId } from 'mongodb';
import { pino, type Logger } from 'pino';
import { startEmbeddedServer } from '../../../../server/db/embedded/server.js';

/**
 * True when TEST_MONGODB_URI names a real MongoDB (a standalone 7.0, no auth): the suite then checks
 * that server instead of the embedded one. Tests of the embedded server's own internals skip with
 * `describe.skipIf(againstRealMongo)` / `it.skipIf(againstRealMongo)`.
 */
export const againstRealMongo = Boolean(process.env.TEST_MONGODB_URI);

/** A document type loose enough for tests that use numbers, strings and ObjectIds as `_id`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Loose = { _id?: number | string | ObjectId | Int32 | Long | null; [key: string]: any };

/** What tests may use of the server: its URI, and close (a no-op on TEST_MONGODB_URI). */
export interface TestServerHandle {
  uri: string;
  close(): Promise<void>;
}

/**
 * A fresh server with a connected driver client: the embedded server (in memory, port 0), or, with
 * TEST_MONGODB_URI set, a uniquely named database on that server, dropped on close.
 */
export interface TestServer {
  server: TestServerHandle;
  client: MongoClient;
  /** Use `db.databaseName` rather than a literal name: it differs per server against a real MongoDB. */
  db: Db;
  /** Runs a raw command on `db` and returns the reply, including `ok: 0` replies (no throw). */
  run(command: Document, dbName?: string): Promise<Document>;
  close(): Promise<void>;
}

/**
 * Starts a fresh server and client; `logger` defaults to a silent one. `logger` and
 * `cursorTimeoutMs` only apply to the embedded server.
 */
export async function startTestServer(options: { logger?: Logger; dbName?: string; cursorTimeoutMs?: number } = {}): Promise<TestServer> {
  const realUri = process.env.TEST_MONGODB_URI;
  const server: TestServerHandle = realUri
    ? { uri: realUri, close: async () => undefined }
    : await startEmbeddedServer({
        port: 0,
        dbpath: null,
        logger: options.logger ?? pino({ level: 'silent' }),
        cursorTimeoutMs: options.cursorTimeoutMs,
      });
  const client = new MongoClient(server.uri, { serverSelectionTimeoutMS: 5000 });
  try {
    await client.connect();
  } catch (err) {
    await server.close();
    throw err;
  }
  const base = options.dbName ?? 'test';
  const db = client.db(realUri ? `${base}_${process.pid}_${randomBytes(4).toString('hex')}` : base);
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
      try {
        if (realUri) await db.dropDatabase();
      } finally {
        await client.close();
        await server.close();
      }
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
