import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config.js';
import { startGodo, type RunningGodo } from '../../../server/index.js';
import type { MeetingState } from '../../../shared/realtime/meetingState.js';
import { joinMeeting, ok, setUpMeeting } from './meetingSetup.js';
import type { Peer } from './peer.js';

/*
 * A restart needs the data to outlive the server, which startTestGodo's in-memory database does
 * not. So each server here runs the embedded database on disk, in one temporary GODO_DATA_DIR
 * (`inMemoryDb: false`), one server after the other: exactly what `npm start` does after a crash
 * or a deploy. With TEST_MONGODB_URI set, both servers use the same fresh database there instead.
 */
let dataDir: string;
const database = `godo_restart_${randomBytes(6).toString('hex')}`;
const now = new Date('2027-02-20T02:00:00Z');
const running: RunningGodo[] = [];
const peers: Peer[] = [];

function startOnDisk(): Promise<RunningGodo> {
  const realMongo = process.env.TEST_MONGODB_URI;
  const uri = realMongo ? Object.assign(new URL(realMongo), { pathname: `/${database}` }).toString() : undefined;
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    GODO_DB_WORKER: 'false',
    GODO_SEED_DEMO: 'false',
    GODO_DATA_DIR: dataDir,
    ...(uri ? { MONGODB_URI: uri } : {}),
  });
  return startGodo(config, { inMemoryDb: false, logger: pino({ level: 'silent' }), clock: () => now }).then((godo) => {
    running.push(godo);
    return godo;
  });
}

/** The state without what belongs to this moment rather than to the meeting (who is here, the clock). */
function persistent(state: MeetingState) {
  const { attendance: _attendance, serverTime: _serverTime, seq: _seq, ...rest } = state;
  return rest;
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'godo-meeting-restart-'));
});
afterAll(async () => {
  for (const peer of peers) peer.close();
  for (const godo of running) await godo.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('a restart in the middle of a meeting', () => {
  it('restores the agenda, the item, its running timer, hands, polls, decisions and the sequence', async () => {
    const first = await startOnDisk();
    const s = await setUpMeeting(first, 'restart', now);
    const pd = await joinMeeting(first, s.pd, s.callId);
    const reviewer = await joinMeeting(first, s.reviewerJst, s.callId);
    const observer = await joinMeeting(first, s.observer, s.callId);
    peers.push(pd.peer, reviewer.peer, observer.peer);
    await ok(pd.peer, 'meeting:setAgenda', { callId: s.callId, proposalIds: [s.b, s.a, s.c] });
    await ok(pd.peer, 'meeting:setCurrent', { callId: s.callId, proposalId: s.b });
    await ok(pd.peer, 'meeting:controlTimer', { callId: s.callId, proposalId: s.b, action: 'start', durationSeconds: 900 });
    await ok(reviewer.peer, 'meeting:raiseHand', { callId: s.callId });
    const { pollId } = await ok<{ pollId: string }>(pd.peer, 'meeting:openPoll', { callId: s.callId, proposalId: s.b, criterion: 'impact' });
    await ok(reviewer.peer, 'meeting:vote', { callId: s.callId, pollId, value: 3 });
    await ok(pd.peer, 'meeting:recordDecision', { callId: s.callId, proposalId: s.b, outcome: 'Fund' });
    const synced = await ok(observer.peer, 'meeting:sync', { callId: s.callId });
    const before = await observer.peer.waitFor('meeting:state', (e) => e.seq === synced.seq);
    await first.close();

    const second = await startOnDisk();
    // The session cookies are the ones issued by the first server: sessions are stored too.
    const rejoined = await joinMeeting(second, s.observer, s.callId);
    peers.push(rejoined.peer);
    // Departures during shutdown take no number; the observer's arrival is the one change since.
    expect(rejoined.state.seq).toBe(before.seq + 1);
    expect(persistent(rejoined.state)).toEqual(persistent(before));
    expect(rejoined.state.current).toMatchObject({ proposalId: s.b, timer: { durationMs: 900_000, runningSince: now.toISOString() } });
    expect(rejoined.state.polls[0]).toMatchObject({ id: pollId, status: 'open', votes: 1 });
    expect(rejoined.state.attendance.map((a) => a.userId)).toEqual([s.observer.id]);

    // And the meeting goes on where it stopped: the poll still takes votes, numbers continue.
    const reviewerAgain = await joinMeeting(second, s.reviewerJst, s.callId);
    peers.push(reviewerAgain.peer);
    expect(reviewerAgain.state.polls[0].myVote).toBe(3);
    const voted = await ok(reviewerAgain.peer, 'meeting:vote', { callId: s.callId, pollId, value: 4 });
    expect(voted.seq).toBe(reviewerAgain.seq + 1);
  });
});
