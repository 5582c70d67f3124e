import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config.js';
import { isDatabaseKnownDown } from '../../../server/db/dbHealth.js';
import { startGodo, type RunningGodo } from '../../../server/index.js';
import { within } from '../collab/support/clients.js';
import { setUpMeeting } from '../realtime/meetingSetup.js';
import type { Peer } from '../realtime/peer.js';
import { healthUntil, startDbProcess, timed, type DbProcess } from './support/faults.js';
import { faultEnv, joinPatiently as joinMeeting, okPatiently as ok } from './support/godoProcess.js';

// While the driver knows the database is away (no server answered its last check), meeting events are answered `unavailable` at once
// instead of each waiting out server selection (5 s) in turn: a meeting's commands run one after
// another in its queue, and a socket's events one after another behind its session re-check
// (every 5 s, sessionRevocation.ts), so three events sent together took 15 s, past a client's
// 10 s acknowledgement timeout.

const DB_NAME = 'godo_faults_session_recheck';

describe('socket events while the database is known to be away', () => {
  let dbp: DbProcess;
  let godo: RunningGodo;
  const peers: Peer[] = [];
  // Godo's clock, moved past the re-check interval instead of waiting it out.
  let aheadMs = 0;

  beforeAll(async () => {
    dbp = await startDbProcess(DB_NAME);
    godo = await startGodo(loadConfig(faultEnv(dbp.uri)), { clock: () => new Date(Date.now() + aheadMs) });
  });
  afterAll(async () => {
    for (const peer of peers) peer.close();
    await godo?.close();
    await dbp?.stop();
  });

  /** Resolves once the driver has marked every server unreachable (its next check after the kill). */
  async function knownDown(): Promise<void> {
    const client = godo.models.Proposal.db.getClient();
    while (!isDatabaseKnownDown(godo.models)) await once(client, 'topologyDescriptionChanged');
  }

  it('answers each event `unavailable` at once, whether it waits in the meeting queue or for its session re-check, and goes on once the database is back', { timeout: 120_000 }, async () => {
    const s = await setUpMeeting(godo, 'sro');
    const pd = await joinMeeting(godo, s.pd, s.callId);
    peers.push(pd.peer);
    const jst = await joinMeeting(godo, s.reviewerJst, s.callId);
    peers.push(jst.peer);
    const { pollId } = await ok(pd.peer, 'meeting:openPoll', { callId: s.callId, proposalId: s.b, criterion: 'excellence' }) as { pollId: string };
    await dbp.kill('SIGKILL');
    await within(knownDown(), 'the driver noticing the database gone', 20_000);
    const send = (peer: Peer, event: string, payload: object) => peer.socket.timeout(10_000).emitWithAck(event, { callId: s.callId, ...payload }) as Promise<unknown>;
    const burst = () =>
      timed(() =>
        Promise.all([
          send(pd.peer, 'meeting:setCurrent', { proposalId: s.b }),
          send(pd.peer, 'meeting:raiseHand', {}),
          send(jst.peer, 'meeting:vote', { pollId, value: 4 }),
          send(pd.peer, 'meeting:sync', {}),
        ]),
      );
    const unavailable = Array.from({ length: 4 }, () => expect.objectContaining({ ok: false, error: expect.objectContaining({ code: 'unavailable' }) }));

    // Sessions just checked (the clock held back): the events reach their handlers and the meeting's queue.
    aheadMs = -60_000;
    const queued = await burst();
    expect(queued.value).toEqual(unavailable);
    // Sessions due for their re-check (the clock moved on): answered by the re-check itself.
    aheadMs = 6_000;
    const rechecked = await burst();
    expect(rechecked.value).toEqual(unavailable);
    // Below one server-selection wait (5 s) for each burst: none of them waited for the database.
    expect(queued.ms).toBeLessThan(4_000);
    expect(rechecked.ms).toBeLessThan(4_000);

    await dbp.restart();
    await healthUntil(godo.url, (a) => a.status === 200, 'healthy again', 60_000);
    aheadMs = 12_000;
    // The session is read again (the re-check is due) and found live: the command goes through.
    expect(await ok(pd.peer, 'meeting:setCurrent', { callId: s.callId, proposalId: s.b })).toMatchObject({ seq: expect.any(Number) });
    expect(pd.peer.socket.connected).toBe(true);
    console.info(`[faults] four meeting events with the database known away: all answered unavailable in ${queued.ms} ms from the queue, ${rechecked.ms} ms from the session re-check`);
  });
});
