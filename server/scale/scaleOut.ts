import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { RealtimeCluster } from '../realtime/types.js';
import { createCollabRelay, type CollabRelay } from './collabRelay.js';
import { createRealtimeCluster } from './realtimeCluster.js';
import { closeRedis, connectRedis, droppedCommands, type GodoRedis } from './redisClient.js';

/** The Redis side of one Godo process among several (only when REDIS_URL is set). */
export interface ScaleOut {
  instanceId: string;
  redis: GodoRedis;
  /** Yjs updates and awareness between processes. */
  collab: CollabRelay;
  /** Socket.IO adapter and meeting presence. */
  realtime: RealtimeCluster;
  /**
   * Whether this process's Redis connections are up, and how many Redis commands it has dropped
   * (refused by the full offline queue or failed while Redis was away) since it started (for `/healthz`).
   */
  health(): { connected: boolean; droppedCommands: number };
  /** Stops relaying and presence, and closes the Redis connections. Never rejects. */
  close(): Promise<void>;
}

/**
 * Connects to Redis and prepares the relays. Call `collab.attach(registry)` once the collaboration
 * server exists, and pass `realtime` to the realtime server.
 * @throws when Redis cannot be reached at startup (a process that cannot see its peers must not serve).
 */
export async function startScaleOut(
  url: string,
  instanceId: string | undefined,
  parentLogger: Logger,
  /** offlineQueueMax: how many commands each Redis connection may hold while Redis is away (REDIS_OFFLINE_QUEUE_MAX). */
  options: { offlineQueueMax: number },
): Promise<ScaleOut> {
  const id = instanceId ?? `godo-${randomBytes(6).toString('hex')}`;
  const logger = parentLogger.child({ component: 'scale', instanceId: id });
  const redis = await connectRedis(url, logger, { offlineQueueMax: options.offlineQueueMax });
  const drops = droppedCommands(logger);
  redis.on('ready', () => drops.flush());
  const collab = createCollabRelay(redis, id, logger);
  const realtime = await createRealtimeCluster(redis, id, logger, drops);
  logger.info('scale-out: relaying through Redis');
  let closed: Promise<void> | undefined;
  return {
    instanceId: id,
    redis,
    collab,
    realtime: realtime.cluster,
    health: () => ({ connected: redis.isReady && collab.subscribed, droppedCommands: drops.count }),
    close() {
      closed ??= (async () => {
        await collab.close();
        await realtime.close();
        await closeRedis(redis);
      })();
      return closed;
    },
  };
}
