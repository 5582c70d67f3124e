import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../server/config.js';
import { DROP_LOG_INTERVAL_MS, droppedCommands } from '../../../server/scale/redisClient.js';
import type { EmbeddedServer } from '../../../server/db/embedded/server.js';
import { startGodo, type RunningGodo } from '../../../server/index.js';
import { within } from '../collab/support/clients.js';
import { setUpMeeting } from '../realtime/meetingSetup.js';
import type { Peer } from '../realtime/peer.js';
import { adaptersMeet, nodeEnv, redisUnavailable, startRedis, startSharedDb, type TestRedis } from '../scale/support/cluster.js';
import { capturedLogs } from './support/capturedLogs.js';
import { health, healthUntil } from './support/faults.js';
import { joinPatiently as joinMeeting, okPatiently as ok } from './support/godoProcess.js';

// A long Redis outage under meeting traffic: with REDIS_OFFLINE_QUEUE_MAX set small, each Godo
// process holds at most that many Redis commands, refuses the rest, and goes on serving. The
// refused commands are the Socket.IO adapter's PUBLISH of each meeting change (`serverSideEmit`),
// whose promise the adapter ignores: unguarded, the first refusal is an unhandled rejection, which
// ends a Godo process (and fails this run: Vitest reports unhandled rejections as errors). Both
// processes run in this one, as in the other scale tests; one's logs are read.

const skipReason = redisUnavailable();
if (skipReason) console.warn(`[fault tests skipped] ${skipReason}`);

const QUEUE_MAX = 50;
/** Meeting changes driven through each process while Redis is away: well past the bound. */
const CHANGES = 80;
const DROPPED_LINE = 'redis: commands dropped';

describe.skipIf(skipReason !== null)('Redis offline queue bounded during an outage', () => {
  let redis: TestRedis;
  let shared: { db: EmbeddedServer; uri: string };
  let a: RunningGodo;
  let b: RunningGodo;
  const logs = capturedLogs();
  const peers: Peer[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    shared = await startSharedDb();
    const env = (id: string) => ({ ...nodeEnv(shared.uri, redis.url, id), REDIS_OFFLINE_QUEUE_MAX: String(QUEUE_MAX) });
    a = await startGodo(loadConfig(env('node-a')), { logger: logs.logger });
    b = await startGodo(loadConfig(env('node-q')), { logger: pino({ level: 'silent' }) });
    await adaptersMeet([a, b]);
  }, 120_000);
  afterAll(async () => {
    for (const peer of peers) peer.close();
    await Promise.all([a?.close(), b?.close()]);
    await shared?.db.close();
    await redis?.stop();
  });

  it('drops commands past REDIS_OFFLINE_QUEUE_MAX without crashing, counts and logs them sparingly, and relays again after', { timeout: 120_000 }, async () => {
    // The bound is on the client and on its duplicates (the adapter's stream reader and subscriber are duplicates).
    expect(a.scale!.redis.options?.commandsQueueMaxLength).toBe(QUEUE_MAX);
    expect(a.scale!.redis.duplicate().options?.commandsQueueMaxLength).toBe(QUEUE_MAX);
    const s = await setUpMeeting(a, 'rq');
    const pdOnB = await joinMeeting(b, s.pd, s.callId);
    const pdOnA = await joinMeeting(a, s.pd, s.callId);
    const followerOnA = await joinMeeting(a, s.reviewerJst, s.callId);
    const followerOnB = await joinMeeting(b, s.reviewerAnr, s.callId);
    peers.push(pdOnB.peer, pdOnA.peer, followerOnA.peer, followerOnB.peer);
    const before = await ok(pdOnB.peer, 'meeting:setCurrent', { callId: s.callId, proposalId: s.b });
    await within(followerOnA.peer.waitFor('meeting:currentChanged', (e) => e.seq === before.seq), 'B’s change on A before the outage');

    const outageStarted = performance.now();
    await redis.kill('SIGKILL');
    await Promise.all([a.url, b.url].map((url) => healthUntil(url, (h) => h.body.reasons.includes('redis_disconnected'), 'Redis reported down')));

    // Each change is acknowledged (stored in MongoDB) and relayed with a PUBLISH that Redis cannot take.
    const drive = async (peer: Peer) => {
      for (let i = 0; i < CHANGES; i++) await ok(peer, 'meeting:setCurrent', { callId: s.callId, proposalId: i % 2 === 0 ? s.c : s.b });
    };
    await drive(pdOnB.peer);
    await drive(pdOnA.peer);

    // Both still serve: a command after the flood is acknowledged and /healthz answers, with the drops counted.
    const stillServing = await ok(pdOnB.peer, 'meeting:setCurrent', { callId: s.callId, proposalId: s.c });
    expect(stillServing.seq).toBeGreaterThan(before.seq!);
    const [downA, downB] = await Promise.all([health(a.url), health(b.url)]);
    expect(downB.body.redis).toMatchObject({ connected: false });
    const droppedB = (downB.body.redis as { droppedCommands?: number }).droppedCommands;
    const droppedA = (downA.body.redis as { droppedCommands?: number }).droppedCommands;
    expect(droppedB).toBeGreaterThanOrEqual(CHANGES - QUEUE_MAX);
    expect(droppedA).toBeGreaterThanOrEqual(CHANGES - QUEUE_MAX);
    // One line at the outage's first drop, then at most one per DROP_LOG_INTERVAL_MS: not one per command.
    const outageLines = logs.records.filter((r) => r.msg.startsWith(DROPPED_LINE));
    expect(outageLines.length).toBeGreaterThanOrEqual(1);
    expect(outageLines.length).toBeLessThanOrEqual(1 + Math.floor((performance.now() - outageStarted) / DROP_LOG_INTERVAL_MS));

    await redis.restart();
    await Promise.all([a.url, b.url].map((url) => healthUntil(url, (h) => h.status === 200, 'Redis reconnected')));
    // Back: the rest of the count is logged in one line, and the lines add up to the count.
    await logs.waitFor((r) => r.msg === `${DROPPED_LINE} while Redis was unavailable`, 'the drops summary once Redis is back');
    const lines = logs.records.filter((r) => r.msg.startsWith(DROPPED_LINE));
    expect(lines.every((r) => r.level === 40)).toBe(true);
    expect(lines.reduce((sum, r) => sum + (r.dropped ?? 0), 0)).toBe(a.scale!.health().droppedCommands);
    expect(lines.at(-1)!.droppedTotal).toBe(a.scale!.health().droppedCommands);

    // Meeting events cross processes again, both ways.
    await adaptersMeet([a, b]);
    const fromB = await ok(pdOnB.peer, 'meeting:setCurrent', { callId: s.callId, proposalId: s.b });
    await within(followerOnA.peer.waitFor('meeting:currentChanged', (e) => e.seq === fromB.seq), 'B’s change on A after the restart', 20_000);
    const fromA = await ok(pdOnA.peer, 'meeting:setCurrent', { callId: s.callId, proposalId: s.c });
    await within(followerOnB.peer.waitFor('meeting:currentChanged', (e) => e.seq === fromA.seq), 'A’s change on B after the restart', 20_000);
    console.info(`[faults] Redis outage with REDIS_OFFLINE_QUEUE_MAX=${QUEUE_MAX}: ${CHANGES} changes per process; dropped A/B ${droppedA}/${droppedB}; ${lines.length} log lines`);
  });
});

describe('dropped Redis commands are logged sparingly', () => {
  it('logs the first drop of an outage at once, then one line per interval with the count, and the rest when Redis is back', () => {
    const logs = capturedLogs();
    let now = 0;
    const drops = droppedCommands(logs.logger, 10_000, () => now);
    const refused = new Error('The queue is full');
    for (let i = 0; i < 500; i++, now += 10) drops.record('publish', refused); // 5 s of drops: one line
    expect(logs.records.map((r) => r.dropped)).toEqual([1]);
    for (let i = 0; i < 1_000; i++, now += 10) drops.record('publish', refused); // 10 s more: one more line
    expect(logs.records.map((r) => r.dropped)).toEqual([1, 1_000]);
    drops.flush();
    expect(logs.records.map((r) => r.dropped)).toEqual([1, 1_000, 499]);
    expect(drops.count).toBe(1_500);
    expect(logs.records.at(-1)).toMatchObject({ level: 40, droppedTotal: 1_500 });
    drops.flush(); // nothing new: nothing logged
    drops.record('xAdd', refused); // the next outage's first drop: at once
    expect(logs.records.map((r) => r.dropped)).toEqual([1, 1_000, 499, 1]);
  });
});

describe('REDIS_OFFLINE_QUEUE_MAX', () => {
  it('defaults to 10000 and takes a positive integer', () => {
    expect(loadConfig({}).REDIS_OFFLINE_QUEUE_MAX).toBe(10_000);
    expect(loadConfig({ REDIS_OFFLINE_QUEUE_MAX: '250' }).REDIS_OFFLINE_QUEUE_MAX).toBe(250);
  });

  it('refuses zero, negatives, fractions and words, naming the variable', () => {
    for (const value of ['0', '-5', '1.5', 'lots']) {
      expect(() => loadConfig({ REDIS_OFFLINE_QUEUE_MAX: value })).toThrow(ConfigError);
      expect(() => loadConfig({ REDIS_OFFLINE_QUEUE_MAX: value })).toThrow(/REDIS_OFFLINE_QUEUE_MAX/);
    }
  });
});
