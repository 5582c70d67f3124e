import { createClient } from 'redis';
import type { Logger } from 'pino';

/** The Redis client type Godo uses (node-redis 5, RESP2, no modules). */
export type GodoRedis = ReturnType<typeof createClient>;

/**
 * Connects to Redis. Errors after the connection is up are logged (node-redis reconnects by itself);
 * an `error` listener is required, else node-redis would crash the process on a dropped connection.
 * @throws when the first connection fails.
 */
export async function connectRedis(url: string, logger: Logger): Promise<GodoRedis> {
  // Reconnect forever, at most 1 s apart (plus jitter so several processes do not knock in step):
  // a restarted Redis is back in use within about a second. Commands issued meanwhile wait in
  // node-redis's offline queue (the Socket.IO adapter relies on that: it does not catch a failed
  // PUBLISH); Godo's own calls check `isReady` first and do without Redis instead of waiting.
  const client = createClient({ url, socket: { reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, 1_000) + Math.floor(Math.random() * 100) } });
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
  // throw an unhandled 'error' event and end the process.
  const duplicate = client.duplicate.bind(client);
  client.duplicate = ((...args: Parameters<typeof duplicate>) => {
    const copy = duplicate(...args);
    copy.on('error', onError);
    return copy;
  }) as typeof client.duplicate;
  await client.connect();
  return client;
}

/** Closes a client, whatever state it is in (never rejects). */
export async function closeRedis(client: GodoRedis): Promise<void> {
  try {
    if (client.isOpen) await client.close();
  } catch {
    client.destroy();
  }
}
