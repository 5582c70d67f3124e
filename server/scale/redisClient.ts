import { createClient } from 'redis';
import type { Logger } from 'pino';

/** The Redis client type Godo uses (node-redis 5, RESP2, no modules). */
export type GodoRedis = ReturnType<typeof createClient>;

/** How connectRedis sets up a client. */
export interface RedisClientOptions {
  /**
   * At most this many commands queued or awaiting a reply per connection (node-redis's
   * `commandsQueueMaxLength`); beyond it a command is refused at once (its promise rejects with
   * `Error('The queue is full')`). Without a bound, a Redis outage queues every command for its
   * whole length and the process's memory grows with it.
   */
  offlineQueueMax: number;
}

/**
 * Connects to Redis. Errors after the connection is up are logged (node-redis reconnects by itself);
 * an `error` listener is required, else node-redis would crash the process on a dropped connection.
 * Duplicates of the client (made by libraries) inherit the queue bound and the listener.
 * @throws when the first connection fails.
 */
export async function connectRedis(url: string, logger: Logger, options: RedisClientOptions): Promise<GodoRedis> {
  // Reconnect forever, at most 1 s apart (plus jitter so several processes do not knock in step):
  // a restarted Redis is back in use within about a second. Commands issued meanwhile wait in
  // node-redis's offline queue, up to `offlineQueueMax` (then they are refused: see
  // guardForAdapter for the Socket.IO adapter, which does not catch every refusal); Godo's own
  // calls check `isReady` first and do without Redis instead of waiting.
  const client = createClient({
    url,
    commandsQueueMaxLength: options.offlineQueueMax,
    socket: { reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, 1_000) + Math.floor(Math.random() * 100) },
  });
  let lost = false;
  const onError = (error: unknown) => {
    if (!lost) logger.warn({ err: error }, 'redis: connection error; reconnecting');
    lost = true;
  };
  client.on('error', onError);
  client.on('ready', () => {
    if (lost) logger.info('redis: connected again');
    lost = false;
  });
  // Libraries duplicate the client for blocking reads and subscriptions (the Socket.IO adapter
  // does, out of our reach): every duplicate gets the listener too, else a Redis restart would
  // throw an unhandled 'error' event and end the process. (node-redis copies the options, the
  // queue bound included, into each duplicate.)
  const duplicate = client.duplicate.bind(client);
  client.duplicate = ((...args: Parameters<typeof duplicate>) => {
    const copy = duplicate(...args);
    copy.on('error', onError);
    return copy;
  }) as typeof client.duplicate;
  await client.connect();
  return client;
}

/** Closes a client, whatever state it is in (never rejects, never waits for an absent Redis). */
export async function closeRedis(client: GodoRedis): Promise<void> {
  try {
    // node-redis's close() waits for its queue to empty: while Redis is away that is never, so a
    // process shutting down during an outage would hang. Drop the queue instead.
    if (client.isOpen && !client.isReady) client.destroy();
    else if (client.isOpen) await client.close();
  } catch {
    client.destroy();
  }
}

/** At most one "commands dropped" line this often during an outage (plus one when Redis is back). */
export const DROP_LOG_INTERVAL_MS = 10_000;

/** Redis commands that failed or were refused while Redis was away, counted and logged sparingly. */
export interface DroppedCommands {
  /** How many since the process started. */
  readonly count: number;
  record(command: string, error: unknown): void;
  /** Logs the drops not logged yet; call when Redis is back, so the next outage's first drop is logged at once. */
  flush(): void;
}

/**
 * Counts dropped commands and logs them at warn: the first drop of an outage at once, then at most
 * one line per `intervalMs` with how many since the last line, and the rest when `flush` is called.
 * An outage under meeting traffic drops thousands of commands: one line each would flood the logs.
 */
export function droppedCommands(logger: Logger, intervalMs = DROP_LOG_INTERVAL_MS, now: () => number = Date.now): DroppedCommands {
  let count = 0;
  let unlogged = 0;
  let lastLine = -Infinity;
  return {
    get count() {
      return count;
    },
    record(command, error) {
      count += 1;
      unlogged += 1;
      if (now() - lastLine < intervalMs) return;
      logger.warn({ err: error, command, dropped: unlogged, droppedTotal: count }, 'redis: commands dropped (Redis unavailable or its offline queue full)');
      unlogged = 0;
      lastLine = now();
    },
    flush() {
      if (unlogged > 0) logger.warn({ dropped: unlogged, droppedTotal: count }, 'redis: commands dropped while Redis was unavailable');
      unlogged = 0;
      lastLine = -Infinity;
    },
  };
}

/** What the Socket.IO Redis streams adapter calls on the client it is given without always catching a failure. */
const ADAPTER_COMMANDS = ['publish', 'sPublish', 'xAdd', 'set'] as const;
/** ...and on the duplicate it subscribes with (it ignores the promise). */
const SUBSCRIBER_COMMANDS = ['subscribe', 'sSubscribe'] as const;

/**
 * The client to hand to `@socket.io/redis-streams-adapter`: `client` itself underneath (same
 * connection, same queue), but the commands the adapter fires and forgets (PUBLISH of every
 * `serverSideEmit`, SET of sessions, SUBSCRIBE on its duplicate) get a rejection handler that
 * records the drop, so a command refused by a full offline queue, or failed because Redis went
 * away, is never an unhandled rejection (which would end the process). Each promise is still
 * returned to the adapter, which sees the failure where it does look (XADD of a broadcast).
 * Godo's own relays use `client` directly and handle their own failures.
 */
export function guardForAdapter(client: GodoRedis, drops: DroppedCommands): GodoRedis {
  // node-redis's own `withCommandOptions` builds its per-option clients the same way (Object.create).
  const guarded = Object.create(client) as GodoRedis;
  guardCommands(guarded, client, ADAPTER_COMMANDS, drops);
  guarded.duplicate = ((...args: Parameters<GodoRedis['duplicate']>) => {
    const copy = client.duplicate(...args);
    guardCommands(copy, copy, SUBSCRIBER_COMMANDS, drops);
    return copy;
  }) as GodoRedis['duplicate'];
  return guarded;
}

function guardCommands(target: object, source: object, names: readonly string[], drops: DroppedCommands): void {
  const methods = target as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const name of names) {
    const original = (source as unknown as Record<string, (...args: unknown[]) => unknown>)[name];
    methods[name] = function (this: unknown, ...args: unknown[]) {
      const result = original.apply(this, args);
      if (result instanceof Promise) result.catch((error: unknown) => drops.record(name, error));
      return result;
    };
  }
}
