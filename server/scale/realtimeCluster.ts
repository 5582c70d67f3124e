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
import { guardForAdapter, type DroppedCommands, type GodoRedis } from './redisClient.js';

/**
 * Meeting changes across processes. Socket.IO's room broadcast would reach every process's sockets,
 * but a meeting change is filtered per person (conflicted people get `meeting:withheld`), which
 * needs each socket's access: so the change itself (the meeting document after it, as EJSON) goes
 * to the other processes with `serverSideEmit`, and each runs the same per-socket filtering for its
 * own sockets, in its own per-meeting queue (so a process delivers a meeting's changes in the
 * order it received them). Writes stay atomic in MongoDB (seq incremented by the write itself,
 * version-checked read-modify-writes), so two processes never lose each other's changes. Each
 * process puts the changes back in `seq` order before its sockets see them (`inSeqOrder`); a change
 * that stays missing becomes a gap on the client, which answers it with `meeting:sync` (state read
 * from MongoDB).
 */
export function clusterBroadcaster(io: GodoIo, local: MeetingBroadcaster, rooms: MeetingRooms, logger: Logger): MeetingBroadcaster {
  const ordered = inSeqOrder(local, rooms, logger);
  io.on('godo:meetingChange', (text: string) => {
    let change: MeetingChange;
    try {
      change = EJSON.parse(text, { relaxed: false }) as MeetingChange;
    } catch (error) {
      logger.warn({ err: error }, 'meeting: unreadable change from another process');
      return;
    }
    const callId = String(change.meeting.callId);
    rooms.run(callId, () => ordered(change)).catch((error) => logger.warn({ err: error, callId }, 'meeting: relayed broadcast failed'));
  });
  return {
    async broadcast(change, options) {
      io.serverSideEmit('godo:meetingChange', EJSON.stringify(change, { relaxed: false }));
      await ordered(change, options);
    },
    sendState: (socket, meeting) => local.sendState(socket, meeting),
  };
}

/** How long a change is held back waiting for the one before it (relayed from another process). */
const REORDER_HOLD_MS = 100;

/**
 * Delivers one process's meeting changes to its sockets in `seq` order. Changes made on this
 * process arrive at once; changes from others arrive a Redis round trip later, so without this
 * two moderators on two processes would make most followers see gaps (and resync each time). A
 * change that skips a seq waits up to REORDER_HOLD_MS for the missing one; after that it goes out
 * anyway (the missing change may never come: its process died after writing it) and clients
 * resync on the gap, as before. Late and duplicate changes go out too: clients ignore seqs they have.
 */
function inSeqOrder(local: MeetingBroadcaster, rooms: MeetingRooms, logger: Logger) {
  type Held = { change: MeetingChange; options?: { except?: string } };
  const meetings = new Map<string, { next: number | null; held: Map<number, Held>; timer: NodeJS.Timeout | null }>();

  async function release(callId: string, all: boolean): Promise<void> {
    const meeting = meetings.get(callId)!;
    const seqs = [...meeting.held.keys()].sort((x, y) => x - y);
    for (const seq of seqs) {
      if (!all && seq !== meeting.next) break;
      const { change, options } = meeting.held.get(seq)!;
      meeting.held.delete(seq);
      meeting.next = seq + 1;
      await local.broadcast(change, options);
    }
    if (meeting.held.size === 0 && meeting.timer) {
      clearTimeout(meeting.timer);
      meeting.timer = null;
    }
  }

  return async (change: MeetingChange, options?: { except?: string }): Promise<void> => {
    const callId = String(change.meeting.callId);
    const seq = change.meeting.seq;
    let meeting = meetings.get(callId);
    if (!meeting) meetings.set(callId, (meeting = { next: null, held: new Map(), timer: null }));
    if (meeting.next !== null && seq > meeting.next) {
      meeting.held.set(seq, { change, options });
      meeting.timer ??= setTimeout(() => {
        meeting.timer = null;
        rooms.run(callId, () => release(callId, true)).catch((error) => logger.warn({ err: error, callId }, 'meeting: held broadcast failed'));
      }, REORDER_HOLD_MS);
      return;
    }
    if (meeting.next === null || seq === meeting.next) meeting.next = seq + 1;
    await local.broadcast(change, options);
    await release(callId, false);
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
  /** callId -> userId -> attendee: this process's people, re-announced whenever Redis comes back. */
  const mine = new Map<string, Map<string, Attendee>>();
  /** Departures that could not be recorded while Redis was away (callId -> userIds). */
  const missedDepartures = new Map<string, Set<string>>();
  let heartbeat: NodeJS.Timeout | null = null;
  let stopped = false;
  const beat = () => redis.set(instanceKey(instanceId), String(Date.now()), { PX: INSTANCE_TTL_MS });

  // A restarted Redis has forgotten everything (it runs without persistence) and a partitioned one
  // still lists people who left meanwhile: on every reconnection, say again who is here and who left.
  async function reannounce(): Promise<void> {
    if (stopped) return;
    try {
      const multi = redis.multi().set(instanceKey(instanceId), String(Date.now()), { PX: INSTANCE_TTL_MS });
      for (const [callId, users] of missedDepartures) for (const userId of users) multi.hDel(presenceKey(callId), `${instanceId}|${userId}`);
      for (const [callId, users] of mine) for (const [userId, attendee] of users) multi.hSet(presenceKey(callId), `${instanceId}|${userId}`, JSON.stringify(attendee));
      await multi.exec();
      missedDepartures.clear();
      logger.info({ meetings: mine.size }, 'presence: re-announced after Redis came back');
    } catch (error) {
      logger.warn({ err: error }, 'presence: re-announcing failed (retried on the next reconnection)');
    }
  }
  const onReady = () => void reannounce();

  return {
    async start() {
      await beat();
      redis.on('ready', onReady);
      heartbeat = setInterval(() => {
        // Not while disconnected: node-redis would queue a heartbeat per interval for the whole outage.
        if (redis.isReady) void beat().catch((error: unknown) => logger.warn({ err: error }, 'presence: heartbeat failed'));
      }, HEARTBEAT_MS);
      heartbeat.unref();
    },
    async stop() {
      stopped = true;
      redis.off('ready', onReady);
      if (heartbeat) clearInterval(heartbeat);
      heartbeat = null;
      try {
        if (!redis.isReady) throw new Error('Redis is not connected');
        const multi = redis.multi().del(instanceKey(instanceId));
        for (const [callId, users] of mine) for (const userId of users.keys()) multi.hDel(presenceKey(callId), `${instanceId}|${userId}`);
        await multi.exec();
      } catch (error) {
        logger.warn({ err: error }, 'presence: cleanup failed (entries expire with this process)');
      }
      mine.clear();
    },
    // A Redis outage must not stop people joining or leaving, nor make them wait for Redis: while
    // it is away this process answers from its own sockets, and `reannounce` repairs Redis after.
    async arrived(callId, attendee) {
      if (!mine.has(callId)) mine.set(callId, new Map());
      mine.get(callId)!.set(attendee.userId, attendee);
      missedDepartures.get(callId)?.delete(attendee.userId);
      if (!redis.isReady) return;
      await redis
        .hSet(presenceKey(callId), `${instanceId}|${attendee.userId}`, JSON.stringify(attendee))
        .catch((error: unknown) => logger.warn({ err: error, callId }, 'presence: recording an arrival failed'));
    },
    async departed(callId, userId) {
      mine.get(callId)?.delete(userId);
      if (!redis.isReady) {
        if (!missedDepartures.has(callId)) missedDepartures.set(callId, new Set());
        missedDepartures.get(callId)!.add(userId);
        return;
      }
      await redis
        .hDel(presenceKey(callId), `${instanceId}|${userId}`)
        .catch((error: unknown) => logger.warn({ err: error, callId }, 'presence: recording a departure failed'));
    },
    async attendance(callId, local) {
      if (!redis.isReady) return local;
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

/**
 * Socket.IO's Redis streams adapter plus the Redis presence: what createRealtimeServer needs to run
 * as one of several processes. Adapter commands that fail while Redis is away are counted in `drops`.
 */
export async function createRealtimeCluster(
  redis: GodoRedis,
  instanceId: string,
  logger: Logger,
  drops: DroppedCommands,
): Promise<{ cluster: RealtimeCluster; close(): Promise<void> }> {
  const presence = redisPresence(redis, instanceId, logger);
  await presence.start();
  // blockTimeInMs bounds how long a closed process's stream reader lingers (it stops after its current XREAD).
  // The adapter fires PUBLISH (every serverSideEmit) without catching it: guarded, see guardForAdapter.
  const adapter = createAdapter(guardForAdapter(redis, drops), { blockTimeInMs: 1_000 });
  return { cluster: { adapter, presence }, close: () => presence.stop() };
}
