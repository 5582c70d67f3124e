import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommentDto } from '../../../shared/schemas/comment.js';
import type { EmbeddedServer } from '../../../server/db/embedded/server.js';
import type { RunningGodo } from '../../../server/index.js';
import { joinMeeting, ok, setUpMeeting, type Participant } from '../realtime/meetingSetup.js';
import { connectPeer, seqsOf, type Peer } from '../realtime/peer.js';
import { within } from '../collab/support/clients.js';
import { adaptersMeet, redisUnavailable, startNode, startRedis, startSharedDb, type TestRedis } from './support/cluster.js';

// Meetings and live comments with three Godo processes sharing one MongoDB and one Redis: what a
// moderator does on one reaches everyone on the others, each still filtered for their conflicts.

const skipReason = redisUnavailable();
if (skipReason) console.warn(`[scale tests skipped] ${skipReason}`);

describe.skipIf(skipReason !== null)('meetings across processes', () => {
  let redis: TestRedis;
  let shared: { db: EmbeddedServer; uri: string };
  let nodes: RunningGodo[] = [];
  const peers: Peer[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    shared = await startSharedDb();
    nodes = [
      await startNode(shared.uri, redis.url, 'node-a'),
      await startNode(shared.uri, redis.url, 'node-b'),
      await startNode(shared.uri, redis.url, 'node-c'),
    ];
    await adaptersMeet(nodes);
  });
  afterAll(async () => {
    for (const peer of peers) peer.close();
    await Promise.all(nodes.map((node) => node.close()));
    await shared?.db.close();
    await redis?.stop();
  });

  const join = async (node: RunningGodo, person: Participant, callId: string) => {
    const joined = await joinMeeting(node, person, callId);
    peers.push(joined.peer);
    return joined;
  };

  describe('a moderator on one process', () => {
    it('moves the agenda and the current item for followers on the others, in seq order, conflicts withheld', async () => {
      const [a, b, c] = nodes;
      const s = await setUpMeeting(a, 'mv');
      const pd = await join(a, s.pd, s.callId);
      const follower = await join(b, s.reviewerJst, s.callId);
      const conflicted = await join(c, s.conflicted, s.callId);
      await ok(pd.peer, 'meeting:setAgenda', { callId: s.callId, proposalIds: [s.c, s.b, s.a] });
      await ok(pd.peer, 'meeting:setCurrent', { callId: s.callId, proposalId: s.b });
      const last = await ok(pd.peer, 'meeting:setCurrent', { callId: s.callId, proposalId: s.a });

      const current = await within(follower.peer.waitFor('meeting:currentChanged', (e) => e.seq === last.seq), 'current on B');
      expect(current.current).toMatchObject({ proposalId: s.a, conflicted: false, ref: s.refs[s.a] });
      const events = follower.peer.meetingEvents(s.callId).filter((r) => r.payload.seq > follower.seq);
      expect(events.find((r) => r.event === 'meeting:agendaChanged')!.payload.agenda.map((e: { proposalId: string }) => e.proposalId)).toEqual([s.c, s.b, s.a]);
      const seqs = seqsOf(events);
      seqs.slice(1).forEach((seq, i) => expect(seq).toBe(seqs[i] + 1));

      // The conflicted reviewer, on a third process, is asked to leave and never sees the item.
      const leave = await within(conflicted.peer.waitFor('meeting:leaveRequested', (e) => e.seq === last.seq), 'leave request on C');
      expect(leave.proposalId).toBe(s.a);
      const theirs = await conflicted.peer.waitFor('meeting:currentChanged', (e) => e.seq === last.seq);
      expect(theirs.current).toMatchObject({ proposalId: s.a, conflicted: true });
      expect(JSON.stringify(theirs.current)).not.toContain(s.titles[s.a]);
    });

    it('sees who is present on every process, and a late joiner elsewhere gets the state from MongoDB', async () => {
      const [a, b, c] = nodes;
      const s = await setUpMeeting(a, 'att');
      const pd = await join(a, s.pd, s.callId);
      const reviewer = await join(b, s.reviewerJst, s.callId);
      const arrived = await within(pd.peer.waitFor('meeting:attendanceChanged', (e) => e.seq === reviewer.seq), 'B’s arrival on A');
      expect(arrived.attendance.map((x) => x.userId)).toEqual([s.pd.id, s.reviewerJst.id]);
      await ok(pd.peer, 'meeting:setCurrent', { callId: s.callId, proposalId: s.c });
      const late = await join(c, s.reviewerAnr, s.callId);
      expect(late.state.attendance.map((x) => x.userId)).toEqual([s.pd.id, s.reviewerJst.id, s.reviewerAnr.id]);
      expect(late.state.current).toMatchObject({ proposalId: s.c });
      reviewer.peer.close();
      const left = await within(
        pd.peer.waitFor('meeting:attendanceChanged', (e) => !e.attendance.some((x) => x.userId === s.reviewerJst.id)),
        'B’s departure on A',
      );
      expect(left.attendance.map((x) => x.userId)).toEqual([s.pd.id, s.reviewerAnr.id]);
    });
  });

  describe('live comments', () => {
    it('reach subscribers on other processes, minus the conflicted', async () => {
      const [a, b, c] = nodes;
      const s = await setUpMeeting(a, 'cm');
      const subscribe = async (node: RunningGodo, person: Participant) => {
        const peer = await connectPeer(node, person.cookie);
        peers.push(peer);
        expect(await peer.request('comment:subscribe', { proposalId: s.b })).toEqual({ ok: true });
        return peer;
      };
      const onB = await subscribe(b, s.pd);
      const onC = await subscribe(c, s.reviewerAnr);
      // `conflicted` may read b; made conflicted with it after subscribing, they are cut off at once.
      const cutOff = await subscribe(c, s.conflicted);
      await a.models.Conflict.create({ callId: s.callId, proposalId: s.b, userId: s.conflicted.id, type: 'personal', status: 'confirmed', source: 'declared' });
      const res = await s.reviewerJst.api.post(`/api/proposals/${s.b}/comments`, { body: 'Posted on A.' });
      expect(res.status, res.text).toBe(201);
      const comment = res.body.comment as CommentDto;
      for (const peer of [onB, onC]) {
        expect((await within(peer.waitFor('comment:created', (e) => e.comment.id === comment.id), 'comment elsewhere')).comment).toEqual(comment);
      }
      expect(cutOff.received.some((r) => r.event === 'comment:created')).toBe(false);
    });
  });
});
