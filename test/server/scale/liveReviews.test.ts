import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedServer } from '../../../server/db/embedded/server.js';
import type { RunningGodo } from '../../../server/index.js';
import { within } from '../collab/support/clients.js';
import { HttpClient } from '../../helpers/httpClient.js';
import { setUpMeeting, type MeetingSetup, type Participant } from '../realtime/meetingSetup.js';
import { connectPeer, type Peer } from '../realtime/peer.js';
import { adaptersMeet, redisUnavailable, startNode, startRedis, startSharedDb, type TestRedis } from './support/cluster.js';

// `review:submitted` and `comment:mentioned` with two Godo processes sharing MongoDB and Redis: the
// write happens on one, the person's socket is on the other.

const skipReason = redisUnavailable();
if (skipReason) console.warn(`[scale tests skipped] ${skipReason}`);

describe.skipIf(skipReason !== null)('live reviews and mentions across processes', () => {
  let redis: TestRedis;
  let shared: { db: EmbeddedServer; uri: string };
  let nodes: RunningGodo[] = [];
  let s: MeetingSetup;
  const peers: Peer[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    shared = await startSharedDb();
    nodes = [await startNode(shared.uri, redis.url, 'node-a'), await startNode(shared.uri, redis.url, 'node-b')];
    await adaptersMeet(nodes);
    s = await setUpMeeting(nodes[0], 'xr');
    await nodes[0].models.Call.updateOne({ _id: s.callId }, { $set: { phase: 'review' } });
    for (const proposalId of [s.a, s.b]) {
      await nodes[0].models.Assignment.create({ callId: s.callId, proposalId, reviewerId: s.reviewerJst.id, agency: 'JST' });
    }
    await nodes[0].models.Conflict.create({ callId: s.callId, proposalId: s.a, userId: s.officerAnr.id, type: 'personal', status: 'confirmed', source: 'declared' });
  });
  afterAll(async () => {
    for (const peer of peers) peer.close();
    await Promise.all(nodes.map((node) => node.close()));
    await shared?.db.close();
    await redis?.stop();
  });

  const connect = async (node: RunningGodo, person: Participant) => {
    const peer = await connectPeer(node, person.cookie);
    peers.push(peer);
    return peer;
  };

  const submit = async (node: RunningGodo, person: Participant, proposalId: string) => {
    const body = { scores: { excellence: 3, impact: 3, implementation: 3 }, comments: {}, confidence: 3, submit: true, version: 0 };
    const res = await new HttpClient(node.url).request('PUT', `/api/proposals/${proposalId}/reviews/mine`, body, { cookie: person.cookie });
    expect(res.status, res.text).toBe(200);
  };

  it('delivers review:submitted written on one process to allowed sockets on the other, never to a conflicted one', async () => {
    const [a, b] = nodes;
    const pd = await connect(b, s.pd);
    const officer = await connect(b, s.officerAnr);
    expect(await pd.request('review:subscribe', { callId: s.callId })).toEqual({ ok: true });
    expect(await officer.request('review:subscribe', { callId: s.callId })).toEqual({ ok: true });
    await submit(a, s.reviewerJst, s.a);
    await within(pd.waitFor('review:submitted', (e) => e.proposalId === s.a), 'review of a on node b');
    await submit(a, s.reviewerJst, s.b);
    // Barrier: the officer hears of b; a, which came first, never reached them.
    await within(officer.waitFor('review:submitted', (e) => e.proposalId === s.b), 'review of b on node b');
    expect(officer.received.filter((r) => r.event === 'review:submitted').map((r) => r.payload.proposalId)).toEqual([s.b]);
  });

  it('tells a person on the other process that they were mentioned', async () => {
    const anr = await connect(nodes[1], s.reviewerAnr);
    // Posted through node a (the participant's REST client points there).
    const res = await s.reviewerJst.api.post(`/api/proposals/${s.b}/comments`, { body: '@xr-rev-anr see the budget', mentions: [s.reviewerAnr.id] });
    expect(res.status, res.text).toBe(201);
    const event = await within(anr.waitFor('comment:mentioned', (e) => e.comment.id === res.body.comment.id), 'mention on node b');
    expect(event.comment.body).toBe('@xr-rev-anr see the budget');
  });
});
