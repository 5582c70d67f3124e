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
  const client = createClient({ url });
  const onError = (error: unknown) => logger.warn({ err: error }, 'redis: connection error');
  client.on('error', onError);
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
