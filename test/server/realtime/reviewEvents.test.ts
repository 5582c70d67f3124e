import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGodo } from '../../../server/index.js';
import { startTestGodo } from '../../helpers/godo.js';
import { HttpClient } from '../../helpers/httpClient.js';
import { setUpMeeting, type MeetingSetup, type Participant } from './meetingSetup.js';
import { connectPeer, type Peer } from './peer.js';

let godo: RunningGodo;
let s: MeetingSetup;
/** Another call on the same server: its people must hear nothing of the first call's reviews. */
let other: MeetingSetup;
const peers: Peer[] = [];

beforeAll(async () => {
  godo = await startTestGodo();
  s = await setUpMeeting(godo, 'rev');
  other = await setUpMeeting(godo, 'oth');
  // Review phase: reviewers may read others' reviews only after submitting their own.
  await godo.models.Call.updateMany({ _id: { $in: [s.callId, other.callId] } }, { $set: { phase: 'review' } });
  for (const [setup, proposals] of [[s, [s.a, s.b]], [other, [other.a]]] as const) {
    for (const proposalId of proposals) {
      for (const reviewer of [setup.reviewerJst, setup.reviewerAnr]) {
        await godo.models.Assignment.create({ callId: setup.callId, proposalId, reviewerId: reviewer.id, agency: reviewer.agency });
      }
    }
  }
  // A staff member conflicted with `a` (staff may otherwise read every proposal's reviews).
  await godo.models.Conflict.create({ callId: s.callId, proposalId: s.a, userId: s.officerAnr.id, type: 'personal', status: 'confirmed', source: 'declared' });
});
afterAll(async () => {
  for (const peer of peers) peer.close();
  await godo?.close();
});

async function connect(person: Participant): Promise<Peer> {
  const peer = await connectPeer(godo, person.cookie);
  peers.push(peer);
  return peer;
}

/**
 * Submits the person's review of the proposal (a first submission, or a change of a submitted
 * one at its current version) and checks it was stored.
 */
async function submit(person: Participant, proposalId: string, scores: number | Record<string, number>): Promise<void> {
  const client = new HttpClient(godo.url);
  const headers = { cookie: person.cookie };
  const mine = await client.request('GET', `/api/proposals/${proposalId}/reviews/mine`, undefined, headers);
  const all = typeof scores === 'number' ? { excellence: scores, impact: scores, implementation: scores } : scores;
  const body = { scores: all, comments: {}, confidence: 3, submit: true, version: mine.body?.review?.version ?? 0 };
  const res = await client.request('PUT', `/api/proposals/${proposalId}/reviews/mine`, body, headers);
  expect(res.status, res.text).toBe(200);
}

const reviewEvents = (peer: Peer) => peer.received.filter((r) => r.event === 'review:submitted').map((r) => r.payload);

describe('review:submitted delivery', () => {
  it('reaches a panel member who may read the proposal, with keys only, and never a conflicted member or another call', async () => {
    const pd = await connect(s.pd);
    const pdByProposal = await connect(s.pd);
    const officer = await connect(s.officerAnr);
    const outsider = await connect(other.pd);
    expect(await pd.request('review:subscribe', { callId: s.callId })).toEqual({ ok: true });
    expect(await pdByProposal.request('review:subscribe', { proposalId: s.a })).toEqual({ ok: true });
    // The conflicted officer may follow the call, but is told nothing of proposal a.
    expect(await officer.request('review:subscribe', { callId: s.callId })).toEqual({ ok: true });
    expect(await officer.request('review:subscribe', { proposalId: s.a })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await outsider.request('review:subscribe', { callId: s.callId })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await outsider.request('review:subscribe', { callId: other.callId })).toEqual({ ok: true });

    await submit(s.reviewerJst, s.a, 4);
    const expected = { callId: s.callId, proposalId: s.a, criteria: ['excellence', 'impact', 'implementation'] };
    expect(await pd.waitFor('review:submitted', (e) => e.proposalId === s.a)).toEqual(expected);
    expect(await pdByProposal.waitFor('review:submitted', (e) => e.proposalId === s.a)).toEqual(expected);

    // Barriers: deliveries are made one at a time in submission order, so once a later event
    // reaches a socket, any earlier one meant for it would already have arrived.
    await submit(s.reviewerJst, s.b, 3);
    expect(await officer.waitFor('review:submitted', (e) => e.proposalId === s.b)).toMatchObject({ proposalId: s.b });
    expect(reviewEvents(officer).map((e) => e.proposalId)).toEqual([s.b]);
    await submit(other.reviewerJst, other.a, 2);
    expect(await outsider.waitFor('review:submitted', (e) => e.proposalId === other.a)).toMatchObject({ callId: other.callId });
    expect(reviewEvents(outsider).map((e) => e.proposalId)).toEqual([other.a]);
    // The proposal-a socket does not hear about b; the call socket hears about both, once each.
    expect(reviewEvents(pd).map((e) => e.proposalId)).toEqual([s.a, s.b]);
    expect(reviewEvents(pdByProposal).map((e) => e.proposalId)).toEqual([s.a]);
  });

  it('lets a reviewer follow a proposal only once their own review is submitted', async () => {
    const reviewer = await connect(s.reviewerAnr);
    expect(await reviewer.request('review:subscribe', { proposalId: s.b })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await submit(s.reviewerAnr, s.b, 2);
    expect(await reviewer.request('review:subscribe', { proposalId: s.b })).toEqual({ ok: true });
    const pd = await connect(s.pd);
    expect(await pd.request('review:subscribe', { proposalId: s.b })).toEqual({ ok: true });
    // A change of a submitted review names only the criteria whose score changed.
    await submit(s.reviewerJst, s.b, { excellence: 3, impact: 4.5, implementation: 3 });
    for (const peer of [reviewer, pd]) {
      expect(await peer.waitFor('review:submitted', (e) => e.criteria.length === 1)).toEqual({ callId: s.callId, proposalId: s.b, criteria: ['impact'] });
    }
  });
});

describe('review:subscribe validation', () => {
  it('answers invalid payloads with validation_failed', async () => {
    const peer = await connect(s.pd);
    for (const payload of [undefined, {}, { proposalId: 'nope' }, { callId: s.callId, proposalId: s.a }, { callId: s.callId, extra: 1 }, 'x']) {
      expect(await peer.request('review:subscribe', payload)).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    }
    expect(await peer.request('review:unsubscribe', { proposalId: 42 })).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
  });

  it('stops delivery after review:unsubscribe', async () => {
    const peer = await connect(s.pd);
    expect(await peer.request('review:subscribe', { callId: s.callId })).toEqual({ ok: true });
    expect(await peer.request('review:unsubscribe', { callId: s.callId })).toEqual({ ok: true });
    expect(await peer.request('review:subscribe', { proposalId: s.b })).toEqual({ ok: true });
    await submit(s.reviewerAnr, s.a, 1);
    // Barrier on the same socket: the later event on b arrives, the earlier one on a never did.
    await submit(s.reviewerJst, s.b, { excellence: 1, impact: 4.5, implementation: 3 });
    expect(await peer.waitFor('review:submitted', (e) => e.proposalId === s.b)).toMatchObject({ criteria: ['excellence'] });
    expect(reviewEvents(peer).map((e) => e.proposalId)).toEqual([s.b]);
  });
});
