import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGodo } from '../../../server/index.js';
import { startTestGodo } from '../../helpers/godo.js';
import {
  advanceTo,
  assign,
  createCall,
  createMember,
  createProposal,
  declareConflict,
  eu,
  nihCallInput,
  submitReview,
} from './panelSetup.js';

let godo: RunningGodo;

/** A call with two JST and two ANR reviewers who submit, and one JST reviewer who only drafts. */
async function panel(prefix: string, input?: Parameters<typeof createCall>[2]) {
  const { callId } = await createCall(godo, prefix, input);
  const [po, j1, j2, a1, a2, late, conflicted] = await Promise.all([
    createMember(godo, callId, `${prefix}-po`, 'po', 'JST'),
    createMember(godo, callId, `${prefix}-j1`, 'reviewer', 'JST'),
    createMember(godo, callId, `${prefix}-j2`, 'reviewer', 'JST'),
    createMember(godo, callId, `${prefix}-a1`, 'reviewer', 'ANR'),
    createMember(godo, callId, `${prefix}-a2`, 'reviewer', 'ANR'),
    createMember(godo, callId, `${prefix}-late`, 'reviewer', 'JST'),
    createMember(godo, callId, `${prefix}-conflicted`, 'officer', 'ANR'),
  ]);
  const proposalId = await createProposal(godo, callId);
  for (const reviewer of [j1, j2, a1, a2, late]) await assign(godo, callId, proposalId, reviewer);
  await declareConflict(godo, callId, proposalId, conflicted);
  await advanceTo(godo, po, callId, 'review');
  return { callId, proposalId, po, j1, j2, a1, a2, late, conflicted };
}

const stats = (n: number, mean: number, median: number, min: number, max: number, sd: number) => ({
  n,
  mean,
  median,
  min,
  max,
  spread: max - min,
  sd: expect.closeTo(sd, 12),
});

beforeAll(async () => {
  godo = await startTestGodo();
});
afterAll(async () => {
  await godo?.close();
});

describe('GET /api/proposals/:proposalId/reconciliation on the 0–5 scale with half marks', () => {
  let p: Awaited<ReturnType<typeof panel>>;
  let body: any;

  beforeAll(async () => {
    p = await panel('eu');
    await submitReview(p.j1, p.proposalId, eu(4.5, 4, 3.5)); // total 12
    await submitReview(p.j2, p.proposalId, eu(4, 3.5, 3)); // total 10.5
    await submitReview(p.a1, p.proposalId, eu(2.5, 3, 4)); // total 9.5
    await submitReview(p.a2, p.proposalId, eu(3, 2.5, 4.5)); // total 10
    await submitReview(p.late, p.proposalId, eu(0, 0, 0), false); // a draft: never counted
    const res = await p.po.client.get(`/api/proposals/${p.proposalId}/reconciliation`);
    expect(res.status).toBe(200);
    body = res.body.reconciliation;
  });

  it('gives n, mean, median, min, max, spread and sd per criterion, overall and per agency', () => {
    expect(body.submitted).toBe(4);
    const [excellence, impact, implementation] = body.criteria;
    expect(excellence.key).toBe('excellence');
    expect(excellence.overall).toEqual(stats(4, 3.5, 3.5, 2.5, 4.5, Math.sqrt(0.625)));
    expect(excellence.byAgency.JST).toEqual(stats(2, 4.25, 4.25, 4, 4.5, 0.25));
    expect(excellence.byAgency.ANR).toEqual(stats(2, 2.75, 2.75, 2.5, 3, 0.25));
    expect(excellence.agencyGap).toEqual({ gap: 1.5, highest: 'JST', lowest: 'ANR' });
    expect(impact.overall).toEqual(stats(4, 3.25, 3.25, 2.5, 4, Math.sqrt(0.3125)));
    expect(impact.agencyGap).toEqual({ gap: 1, highest: 'JST', lowest: 'ANR' });
    expect(implementation.overall).toEqual(stats(4, 3.75, 3.75, 3, 4.5, Math.sqrt(0.3125)));
    expect(implementation.agencyGap).toEqual({ gap: 1, highest: 'ANR', lowest: 'JST' });
    expect(body.criteria.map((c: { passes: boolean }) => c.passes)).toEqual([true, true, true]);
  });

  it('gives the weighted total the same way and passes it against 10 of 15', () => {
    expect(body.total.overall).toEqual(stats(4, 10.5, 10.25, 9.5, 12, Math.sqrt(0.875)));
    expect(body.total.byAgency.JST).toEqual(stats(2, 11.25, 11.25, 10.5, 12, 0.75));
    expect(body.total.byAgency.ANR).toEqual(stats(2, 9.75, 9.75, 9.5, 10, 0.25));
    expect(body.total.passes).toBe(true);
    expect(body.passes).toBe(true);
    expect(body.thresholds).toEqual({ flags: { spread: 2, agencyGap: 1.5 }, overall: 10 });
  });

  it('flags spread and agency gap at the call thresholds, and the reviewer who has not submitted', () => {
    expect(body.flags).toEqual([
      { kind: 'spread', criterion: 'excellence', value: 2, threshold: 2 },
      { kind: 'agency_gap', criterion: 'excellence', value: 1.5, threshold: 1.5, highest: 'JST', lowest: 'ANR' },
      { kind: 'missing_reviews', reviewerIds: [p.late.id] },
    ]);
    expect(body.missingReviewers).toEqual([{ id: p.late.id, name: 'eu-late' }]);
    expect(body.consensus).toBeNull();
  });

  it('is open to a reviewer once their own review is submitted, and 404 to the conflicted', async () => {
    expect((await p.j1.client.get(`/api/proposals/${p.proposalId}/reconciliation`)).status).toBe(200);
    expect((await p.late.client.get(`/api/proposals/${p.proposalId}/reconciliation`)).status).toBe(403);
    const hidden = await p.conflicted.client.get(`/api/proposals/${p.proposalId}/reconciliation`);
    expect(hidden.status).toBe(404);
    expect(hidden.text).not.toContain('excellence');
  });
});

describe('GET /api/proposals/:proposalId/reconciliation on the 1–9 scale (1 best)', () => {
  let body: any;

  beforeAll(async () => {
    const p = await panel('nih', nihCallInput());
    await submitReview(p.j1, p.proposalId, { significance: 2, approach: 3 });
    await submitReview(p.j2, p.proposalId, { significance: 3, approach: 4 });
    await submitReview(p.a1, p.proposalId, { significance: 6, approach: 5 });
    await submitReview(p.a2, p.proposalId, { significance: 5, approach: 8 });
    const half = await p.late.client.put(`/api/proposals/${p.proposalId}/reviews/mine`, {
      scores: { significance: 2.5 },
      comments: {},
      confidence: 3,
      submit: false,
      version: 0,
    });
    expect(half.status).toBe(400);
    expect(half.body.error.code).toBe('score_invalid_step');
    body = (await p.po.client.get(`/api/proposals/${p.proposalId}/reconciliation`)).body.reconciliation;
  });

  it('gives exact statistics per criterion and per agency', () => {
    const [significance, approach] = body.criteria;
    expect(significance.overall).toEqual(stats(4, 4, 4, 2, 6, Math.sqrt(2.5)));
    expect(significance.byAgency.JST).toEqual(stats(2, 2.5, 2.5, 2, 3, 0.5));
    expect(significance.byAgency.ANR).toEqual(stats(2, 5.5, 5.5, 5, 6, 0.5));
    expect(approach.overall).toEqual(stats(4, 5, 4.5, 3, 8, Math.sqrt(3.5)));
    expect(approach.agencyGap).toEqual({ gap: 3, highest: 'ANR', lowest: 'JST' });
  });

  it('passes lower-is-better means at or under the threshold, totals against the overall threshold', () => {
    expect(body.criteria.map((c: { passes: boolean }) => c.passes)).toEqual([true, true]);
    expect(body.total.overall).toEqual(stats(4, 9, 9, 5, 13, Math.sqrt(10)));
    expect(body.total.agencyGap).toEqual({ gap: 6, highest: 'ANR', lowest: 'JST' });
    expect(body.total.passes).toBe(true);
    expect(body.passes).toBe(true);
  });

  it('flags spreads of 3 or more and agency gaps of 2 or more', () => {
    expect(body.flags.filter((f: { kind: string }) => f.kind !== 'missing_reviews')).toEqual([
      { kind: 'spread', criterion: 'significance', value: 4, threshold: 3 },
      { kind: 'agency_gap', criterion: 'significance', value: 3, threshold: 2, highest: 'ANR', lowest: 'JST' },
      { kind: 'spread', criterion: 'approach', value: 5, threshold: 3 },
      { kind: 'agency_gap', criterion: 'approach', value: 3, threshold: 2, highest: 'ANR', lowest: 'JST' },
    ]);
  });
});
