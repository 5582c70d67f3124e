import type { TopologyDescriptionChangedEvent } from 'mongodb';
import type mongoose from 'mongoose';
import { ServiceUnavailableError } from '../errors.js';
import type { Models } from '../models/index.js';

/**
 * Calls `listener` each time the database is reachable again after Mongoose lost it (its
 * `reconnected`: the driver's next successful check of a single server or of a replica set's
 * primary; behind a sharded cluster's mongos there is no such signal). Work that failed for want
 * of the database (saves, access re-checks) is redone then instead of at the end of a backoff.
 * Models without a connection (servers tests run over a storage fake) have nothing to watch.
 * Returns the stop function.
 */
export function onDatabaseReconnected(models: Partial<Models>, listener: () => void): () => void {
  const connection = models.Proposal?.db;
  connection?.on('reconnected', listener);
  return () => void connection?.off('reconnected', listener);
}

/** Per connection: whether no server answered its last check (kept by watchReachability). */
const knownDown = new WeakMap<object, boolean>();

/**
 * Follows the driver's view of the servers (SDAM `topologyDescriptionChanged`, for every topology)
 * so that isDatabaseKnownDown is a lookup. Called once per connection, right after it connected.
 * Not Mongoose's readyState: with a replica set it turns `disconnected` as soon as the primary is
 * lost, which would fail writes during an election that server selection (5 s) rides out.
 * Returns the stop function.
 */
export function watchReachability(connection: mongoose.Connection): () => void {
  const client = connection.getClient();
  const changed = (event: TopologyDescriptionChangedEvent) => {
    const servers = [...event.newDescription.servers.values()];
    knownDown.set(connection, servers.length > 0 && servers.every((server) => server.type === 'Unknown'));
  };
  client.on('topologyDescriptionChanged', changed);
  return () => void client.off('topologyDescriptionChanged', changed);
}

/**
 * True while the driver knows the database is away: no server (the standalone, any replica-set
 * member, any mongos) answered its last check or operation, and none has since (the monitor
 * re-checks every heartbeat, 2 s). Work that would only wait out server selection (5 s) to learn
 * the same answers `unavailable` at once instead. A replica set electing a new primary still has
 * members answering, so writes ride out the election as before.
 */
export function isDatabaseKnownDown(models: Partial<Models>): boolean {
  const connection = models.Proposal?.db;
  return connection !== undefined && knownDown.get(connection) === true;
}

/**
 * Fails work at once while the database is known to be away (isDatabaseKnownDown). For work that
 * waits its turn in a queue (a meeting's commands run one after another): otherwise each waits out
 * server selection in turn, and the tenth command of a panel is answered after 50 s, long after
 * its client gave up on it.
 * @throws DatabaseUnavailableError
 */
export function failFastWhileDatabaseDown(models: Partial<Models>): void {
  if (isDatabaseKnownDown(models)) throw new DatabaseUnavailableError();
}

/**
 * The driver's ways of saying "the database cannot be reached right now" (as opposed to "the
 * database refused this"): no server selectable within serverSelectionTimeoutMS, a socket that
 * broke mid-operation, a pool cleared after a network error, a client closed under us. Matched by
 * name because Mongoose re-wraps some of them and both the `mongodb` and Mongoose classes exist.
 */
const UNREACHABLE_NAMES = new Set([
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoClientClosedError',
  'MongoOperationTimeoutError',
  'PoolClearedError',
  'PoolClearedOnNetworkError',
]);

/** True when `error` (or what caused it) means the database could not be reached, not that it refused the operation. */
export function isDatabaseUnreachable(error: unknown): boolean {
  // Godo's own answer when it knew the database away without asking (failFastWhileDatabaseDown).
  if (error instanceof DatabaseUnavailableError) return true;
  for (let e = error as { name?: unknown; cause?: unknown } | null | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (typeof e.name === 'string' && UNREACHABLE_NAMES.has(e.name)) return true;
  }
  return false;
}

/**
 * The API's answer while the database is away: 503 `unavailable` (the client translates the code:
 * `error.unavailable`), never a hang and never a 500. It does not say that nothing was changed: the
 * database may have gone after the request's write (recordAudit holds the audit entry then), and a
 * blind retry of a change already stored is usually refused (404, 409).
 */
export class DatabaseUnavailableError extends ServiceUnavailableError {
  constructor() {
    super('The database cannot be reached right now. Try again in a few seconds; if you were saving a change, reload first to see whether it was stored');
  }
}

/** What one ping found. */
export interface DatabasePing {
  ok: boolean;
  /** Round trip of the ping, when it answered. */
  pingMs: number | null;
  /** Why not, when it did not ("timeout after 1000 ms", the driver's message). */
  error?: string;
}

/**
 * Pings the database, giving up after `timeoutMs` (a health check must answer faster than the
 * balancer's own timeout, whatever the driver's server selection is waiting for). Never rejects.
 */
export async function pingDatabase(connection: mongoose.Connection, timeoutMs: number): Promise<DatabasePing> {
  const db = connection.db;
  if (!db) return { ok: false, pingMs: null, error: 'not connected' };
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  const ping = db.command({ ping: 1 });
  // The ping may still fail after the timeout won; that late rejection is nobody's business.
  ping.catch(() => undefined);
  try {
    await Promise.race([ping, timeout]);
    return { ok: true, pingMs: Math.round((performance.now() - started) * 100) / 100 };
  } catch (error) {
    return { ok: false, pingMs: null, error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}
