import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGodo } from '../../../server/index.js';
import { startTestGodo } from '../../helpers/godo.js';
import { HttpClient } from '../../helpers/httpClient.js';
import { participant, setUpMeeting, type MeetingSetup, type Participant } from './meetingSetup.js';
import { connectPeer, type Peer } from './peer.js';

/**
 * A burst of submissions on one proposal: the relay shares readers lookups between events of the
 * same proposal (one running at a time). Every event must still be delivered once, in publication
 * order, and judged on the state after it was published: a reviewer whose own submission is the
 * event hears of it (in the review phase they may read reviews only once theirs is submitted).
 */
let godo: RunningGodo;
let s: MeetingSetup;
const peers: Peer[] = [];
const ALL = ['excellence', 'impact', 'implementation'];

beforeAll(async () => {
  godo = await startTestGodo();
  s = await setUpMeeting(godo, 'burst');
  await godo.models.Call.updateOne({ _id: s.callId }, { $set: { phase: 'review' } });
  for (const reviewer of [s.reviewerJst, s.reviewerAnr]) {
    await godo.models.Assignment.create({ callId: s.callId, proposalId: s.a, reviewerId: reviewer.id, agency: reviewer.agency });
  }
});
afterAll(async () => {
  for (const peer of peers) peer.close();
  await godo?.close();
});

async function follow(person: Participant): Promise<Peer> {
  const peer = await connectPeer(godo, person.cookie);
  peers.push(peer);
  expect(await peer.request('review:subscribe', { callId: s.callId })).toEqual({ ok: true });
  return peer;
}

/** Saves and submits the person's review of the proposal (`a` by default) at `version`; returns the new version. */
async function submit(person: Participant, version: number, scores: Record<string, number>, proposalId = s.a): Promise<number> {
  const body = { scores, comments: {}, confidence: 3, submit: true, version };
  const res = await new HttpClient(godo.url).request('PUT', `/api/proposals/${proposalId}/reviews/mine`, body, { cookie: person.cookie });
  expect(res.status, res.text).toBe(200);
  return res.body.review.version as number;
}

const events = (peer: Peer) => peer.received.filter((r) => r.event === 'review:submitted').map((r) => r.payload.criteria as string[]);

describe('review:submitted under a burst of submissions', () => {
  it('delivers every event once, in order, to everyone allowed as of that event', async () => {
    const pd = await follow(s.pd);
    const anr = await follow(s.reviewerAnr);
    const jst = await follow(s.reviewerJst);
    // Both first submissions at once, then JST's changes back to back, none waiting for delivery.
    const [jstVersion] = await Promise.all([
      submit(s.reviewerJst, 0, { excellence: 3, impact: 3, implementation: 3 }),
      submit(s.reviewerAnr, 0, { excellence: 4, impact: 4, implementation: 4 }),
    ]);
    const changes = ['excellence', 'impact', 'implementation', 'excellence', 'impact', 'implementation'];
    let version = jstVersion;
    for (const [n, key] of changes.entries()) {
      const scores = { excellence: 3, impact: 3, implementation: 3, [key]: 3.5 + (n % 2) };
      version = await submit(s.reviewerJst, version, scores);
    }
    // Each change moves one criterion up and puts the previous one back to 3 (the first only moves one).
    const expectedTail = changes.map((key, n) => (n === 0 ? [key] : [changes[n - 1], key].sort()));
    const last = expectedTail.at(-1)!.join();
    // Barrier: the last change reached the socket (deliveries are emitted in publication order).
    for (const peer of [pd, anr, jst]) await peer.waitFor('review:submitted', () => events(peer).length >= changes.length && events(peer).at(-1)!.join() === last);
    // The director may always read: both first submissions, then every change in order.
    expect(events(pd)).toEqual([ALL, ALL, ...expectedTail]);
    // Each reviewer hears of their own first submission (they are readers once it is stored), so
    // of at least one of the two first events, then of every change in order, each once.
    for (const peer of [anr, jst]) {
      const got = events(peer);
      expect(got.slice(-changes.length)).toEqual(expectedTail);
      expect(got.length === changes.length + 1 || got.length === changes.length + 2, JSON.stringify(got)).toBe(true);
    }
  });

  it('tells each of many reviewers submitting at once of their own submission', async () => {
    // Eight reviewers of proposal b, none submitted: each may read b's reviews only once their own
    // is stored, so the event of their own submission is the first they may get. All submit at
    // once: lookups overlap and are shared; one started before a reviewer's save must not decide
    // for that reviewer's event.
    const reviewers = await Promise.all(
      Array.from({ length: 8 }, (_, n) => participant(godo, s.callId, `burst-many-${n}`, 'reviewer', n % 2 ? 'ANR' : 'JST', new Date())),
    );
    for (const reviewer of reviewers) {
      await godo.models.Assignment.create({ callId: s.callId, proposalId: s.b, reviewerId: reviewer.id, agency: reviewer.agency });
    }
    const sockets = await Promise.all(reviewers.map((reviewer) => follow(reviewer)));
    const pd = await follow(s.pd);
    const forB = (peer: Peer) => peer.received.filter((r) => r.event === 'review:submitted' && r.payload.proposalId === s.b);
    await Promise.all(reviewers.map((reviewer, n) => submit(reviewer, 0, { excellence: 3, impact: 3, implementation: 1 + n / 2 }, s.b)));
    await pd.waitFor('review:submitted', () => forB(pd).length === reviewers.length);
    // Barrier: the director heard all eight, and every emit goes to all its rooms at once.
    for (const [n, socket] of sockets.entries()) {
      await socket.waitFor('review:submitted', (e) => e.proposalId === s.b);
      expect(forB(socket).length, `reviewer ${n}`).toBeGreaterThanOrEqual(1);
    }
    // Each hears at least their own, so the total over reviewers is at least eight.
    expect(sockets.reduce((sum, socket) => sum + forB(socket).length, 0)).toBeGreaterThanOrEqual(reviewers.length);
  });
});
