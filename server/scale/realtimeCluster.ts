import { createAdapter } from '@socket.io/redis-streams-adapter';
import { EJSON } from 'bson';
import type { Logger } from 'pino';
import type { Attendee } from '../../shared/realtime/meetingState.js';
import { commentFeed, type CommentFeedEvent } from '../commands/comments/commentFeed.js';
import type { MeetingChange } from '../commands/meetings/meetingChange.js';
import type { Models } from '../models/index.js';
import type { MeetingBroadcaster } from '../realtime/meetingBroadcast.js';
import type { MeetingRooms } from '../realtime/meetingRooms.js';
import type { GodoIo, MeetingPresence, RealtimeCluster } from '../realtime/types.js';
import type { GodoRedis } from './redisClient.js';

/**
 * Meeting changes across processes. Socket.IO's room broadcast would reach every process's sockets,
 * but a meeting change is filtered per person (conflicted people get `meeting:withheld`), which
 * needs each socket's access: so the change itself (the meeting document after it, as EJSON) goes
 * to the other processes with `serverSideEmit`, and each runs the same per-socket filtering for its
 * own sockets, in its own per-meeting queue (so a process delivers a meeting's changes in the
 * order it received them). Writes stay atomic in MongoDB (seq incremented by the write itself,
 * version-checked read-modify-writes), so two processes never lose each other's changes; a client
 * may see two processes' events out of `seq` order, which it treats as a gap and answers with
 * `meeting:sync` (state read from MongoDB).
 */
export function clusterBroadcaster(io: GodoIo, local: MeetingBroadcaster, rooms: MeetingRooms, logger: Logger): MeetingBroadcaster {
  io.on('godo:meetingChange', (text: string) => {
    let change: MeetingChange;
    try {
      change = EJSON.parse(text, { relaxed: false }) as MeetingChange;
    } catch (error) {
      logger.warn({ err: error }, 'meeting: unreadable change from another process');
      return;
    }
    const callId = String(change.meeting.callId);
    rooms.run(callId, () => local.broadcast(change)).catch((error) => logger.warn({ err: error, callId }, 'meeting: relayed broadcast failed'));
  });
  return {
    async broadcast(change, options) {
      io.serverSideEmit('godo:meetingChange', EJSON.stringify(change, { relaxed: false }));
      await local.broadcast(change, options);
    },
    sendState: (socket, meeting) => local.sendState(socket, meeting),
  };
}

/**
 * Comments across processes: a comment event published on this process (by a REST command) is
 * sent to the others, which publish it on their own feed (marked `fromPeer`, so it is not sent
 * back); each process's relay then delivers it to its subscribed sockets, filtering conflicts.
 * Returns the stop function.
 */
export function forwardComments(io: GodoIo, models: Models, logger: Logger): () => void {
  const feed = commentFeed(models);
  const onPeerComment = (text: string) => {
    try {
      const event = JSON.parse(text) as CommentFeedEvent;
      feed.publish({ type: event.type, comment: event.comment, fromPeer: true });
    } catch (error) {
      logger.warn({ err: error }, 'comments: unreadable event from another process');
    }
  };
  io.on('godo:comment', onPeerComment);
  const unsubscribe = feed.subscribe((event) => {
    if (!event.fromPeer) io.serverSideEmit('godo:comment', JSON.stringify({ type: event.type, comment: event.comment }));
  });
  return () => {
    unsubscribe();
    io.off('godo:comment', onPeerComment);
  };
}

const presenceKey = (callId: string) => `godo:presence:${callId}`;
const instanceKey = (instanceId: string) => `godo:instance:${instanceId}`;
/** A process's liveness key expires this long after its last heartbeat. */
const INSTANCE_TTL_MS = 15_000;
const HEARTBEAT_MS = 5_000;

/**
 * Meeting presence in Redis: one hash per meeting, one field per (process, person) while that
 * person has a socket in the meeting on that process. A field of a process whose liveness key has
 * expired (it died without cleaning up) is ignored, and removed by the next reader.
 */
export function redisPresence(redis: GodoRedis, instanceId: string, logger: Logger): MeetingPresence & { start(): Promise<void>; stop(): Promise<void> } {
  const mine = new Map<string, Set<string>>();
  let heartbeat: NodeJS.Timeout | null = null;
  const beat = () => redis.set(instanceKey(instanceId), String(Date.now()), { PX: INSTANCE_TTL_MS });

  return {
    async start() {
      await beat();
      heartbeat = setInterval(() => void beat().catch((error: unknown) => logger.warn({ err: error }, 'presence: heartbeat failed')), HEARTBEAT_MS);
      heartbeat.unref();
    },
    async stop() {
      if (heartbeat) clearInterval(heartbeat);
      heartbeat = null;
      try {
        const multi = redis.multi().del(instanceKey(instanceId));
        for (const [callId, users] of mine) for (const userId of users) multi.hDel(presenceKey(callId), `${instanceId}|${userId}`);
        await multi.exec();
      } catch (error) {
        logger.warn({ err: error }, 'presence: cleanup failed (entries expire with this process)');
      }
      mine.clear();
    },
    // A Redis outage must not stop people joining or leaving: they are then missing from (or linger
    // in) the other processes' attendance until their next arrival; this process's own view stays right.
    async arrived(callId, attendee) {
      if (!mine.has(callId)) mine.set(callId, new Set());
      mine.get(callId)!.add(attendee.userId);
      await redis
        .hSet(presenceKey(callId), `${instanceId}|${attendee.userId}`, JSON.stringify(attendee))
        .catch((error: unknown) => logger.warn({ err: error, callId }, 'presence: recording an arrival failed'));
    },
    async departed(callId, userId) {
      mine.get(callId)?.delete(userId);
      await redis
        .hDel(presenceKey(callId), `${instanceId}|${userId}`)
        .catch((error: unknown) => logger.warn({ err: error, callId }, 'presence: recording a departure failed'));
    },
    async attendance(callId, local) {
      let fields: Record<string, string>;
      try {
        fields = await redis.hGetAll(presenceKey(callId));
      } catch (error) {
        logger.warn({ err: error, callId }, 'presence: Redis unavailable, showing this process only');
        return local;
      }
      const entries = Object.entries(fields).map(([field, value]) => ({ field, instance: field.slice(0, field.indexOf('|')), value }));
      const instances = [...new Set(entries.map((e) => e.instance))];
      let alive: (string | null)[];
      try {
        alive = instances.length > 0 ? await redis.mGet(instances.map(instanceKey)) : [];
      } catch (error) {
        logger.warn({ err: error, callId }, 'presence: Redis unavailable, showing this process only');
        return local;
      }
      const live = new Set(instances.filter((_, i) => alive[i] !== null));
      const stale = entries.filter((e) => !live.has(e.instance)).map((e) => e.field);
      if (stale.length > 0) void redis.hDel(presenceKey(callId), stale).catch(() => undefined);
      const byUser = new Map<string, Attendee>();
      for (const entry of entries) {
        if (!live.has(entry.instance)) continue;
        const attendee = JSON.parse(entry.value) as Attendee;
        const known = byUser.get(attendee.userId);
        if (!known || attendee.since < known.since) byUser.set(attendee.userId, attendee);
      }
      return [...byUser.values()].sort((a, b) => a.since.localeCompare(b.since));
    },
  };
}

/** Socket.IO's Redis streams adapter plus the Redis presence: what createRealtimeServer needs to run as one of several processes. */
export async function createRealtimeCluster(
  redis: GodoRedis,
  instanceId: string,
  logger: Logger,
): Promise<{ cluster: RealtimeCluster; close(): Promise<void> }> {
  const presence = redisPresence(redis, instanceId, logger);
  await presence.start();
  // blockTimeInMs bounds how long a closed process's stream reader lingers (it stops after its current XREAD).
  const adapter = createAdapter(redis, { blockTimeInMs: 1_000 });
  return { cluster: { adapter, presence }, close: () => presence.stop() };
}
