import { pino } from 'pino';
import { loadConfig } from '../../../../server/config.js';
import { startGodo, type RunningGodo } from '../../../../server/index.js';
import type { Participant } from '../../realtime/meetingSetup.js';
import { connectPeer, type Peer } from '../../realtime/peer.js';

/** The environment of a Godo process on an external database (and Redis, when given). */
export function faultEnv(mongoUri: string, redisUrl?: string, instanceId?: string): Record<string, string> {
  return {
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    GODO_DB_WORKER: 'false',
    GODO_SEED_DEMO: 'false',
    MONGODB_URI: mongoUri,
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
    ...(instanceId ? { GODO_INSTANCE_ID: instanceId } : {}),
  };
}

/** Godo in this test process, on the database at `mongoUri` (silent logs). */
export function startGodoOn(mongoUri: string, redisUrl?: string, instanceId?: string): Promise<RunningGodo> {
  return startGodo(loadConfig(faultEnv(mongoUri, redisUrl, instanceId)), { logger: pino({ level: 'silent' }) });
}

/**
 * Like realtime/meetingSetup's joinMeeting, with acknowledgement timeouts sized for a machine busy
 * with several fault tests and their child processes (a guard, not a wait).
 */
export async function joinPatiently(godo: Pick<RunningGodo, 'url'>, person: Participant, callId: string) {
  const peer = await connectPeer(godo, person.cookie);
  const statePromise = peer.waitFor('meeting:state', (s) => s.callId === callId);
  const ack = (await peer.socket.timeout(20_000).emitWithAck('meeting:join', { callId })) as { ok: boolean; seq?: number; error?: unknown };
  if (!ack.ok) throw new Error(`join failed: ${JSON.stringify(ack.error)}`);
  return { peer, state: await statePromise, seq: ack.seq! };
}

/** A meeting command that must succeed (acknowledged with ok), with a patient timeout. */
export async function okPatiently(peer: Peer, event: string, payload: unknown): Promise<{ seq?: number }> {
  const ack = (await peer.socket.timeout(20_000).emitWithAck(event, payload)) as { ok: boolean; seq?: number; error?: unknown };
  if (!ack.ok) throw new Error(`${event} failed: ${JSON.stringify(ack.error)}`);
  return ack;
}
