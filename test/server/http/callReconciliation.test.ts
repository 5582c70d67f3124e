import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGodo } from '../../../server/index.js';
import { startTestGodo } from '../../helpers/godo.js';
import { HttpClient } from '../../helpers/httpClient.js';
import { advanceTo, assign, createCall, createMember, createProposal, declareConflict, eu, storeReview, type Member } from './panelSetup.js';

/*
 * GET /api/calls/:callId/reconciliation: the heat map's figures for every proposal at once. Each
 * line must equal what the per-proposal route says, and the list must hold exactly the proposals
 * the per-proposal route would answer 200 for (conflicted ones absent, without a trace).
 */

let godo: RunningGodo;
let callId: string;
let p: string;
let q: string;
let po: Member;
let j1: Member;
let j2: Member;
let a1: Member;
let conflicted: Member;
let outsider: Member;

beforeAll(async () => {
  godo = await startTestGodo();
  ({ callId } = await createCall(godo, 'heat'));
  [po, j1, j2, a1, conflicted] = await Promise.all([
    createMember(godo, callId, 'heat-po', 'po', 'JST'),
    createMember(godo, callId, 'heat-j1', 'reviewer', 'JST'),
    createMember(godo, callId, 'heat-j2', 'reviewer', 'JST'),
    createMember(godo, callId, 'heat-a1', 'reviewer', 'ANR'),
    createMember(godo, callId, 'heat-conflicted', 'officer', 'ANR'),
  ]);
  const other = await createCall(godo, 'elsewhere');
  outsider = await createMember(godo, other.callId, 'elsewhere-po', 'po', 'JST');
  p = await createProposal(godo, callId, { title: 'Conflicted catalysis' });
  q = await createProposal(godo, callId, { title: 'Open ocean sensing' });
  await assign(godo, callId, p, j1);
  await assign(godo, callId, p, a1);
  await assign(godo, callId, q, j1);
  await assign(godo, callId, q, j2);
  await declareConflict(godo, callId, p, conflicted);
  await advanceTo(godo, po, callId, 'review');
  // j1 submitted P only; a1 submitted P; j2 has not submitted Q; nobody else reviewed Q yet.
  await storeReview(godo, callId, p, j1, eu(4.5, 4, 3));
  await storeReview(godo, callId, p, a1, eu(2.5, 3, 3.5));
}, 120_000);

afterAll(async () => {
  await godo?.close();
});

const heat = (who: Member) => who.client.get(`/api/calls/${callId}/reconciliation`);
const ids = (body: any) => body.reconciliation.proposals.map((entry: { proposalId: string }) => entry.proposalId);

describe('GET /api/calls/:callId/reconciliation', () => {
  it('condenses each proposal exactly as the per-proposal reconciliation computes it', async () => {
    const res = await heat(po);
    expect(res.status, res.text).toBe(200);
    expect(ids(res.body).sort()).toEqual([p, q].sort());
    const line = res.body.reconciliation.proposals.find((entry: { proposalId: string }) => entry.proposalId === p);
    const full = (await po.client.get(`/api/proposals/${p}/reconciliation`)).body.reconciliation;
    expect(line.submitted).toBe(2);
    expect(line.missing).toBe(full.missingReviewers.length);
    for (const criterion of full.criteria) {
      const condensed = line.criteria.find((entry: { key: string }) => entry.key === criterion.key);
      expect(condensed).toEqual({
        key: criterion.key,
        mean: criterion.overall.mean,
        spread: criterion.overall.spread,
        byAgency: Object.fromEntries(Object.entries(criterion.byAgency).map(([agency, s]) => [agency, (s as { mean: number | null }).mean])),
        agencyGap: criterion.agencyGap,
        passes: criterion.passes,
      });
    }
    expect(line.total.mean).toBe(full.total.overall.mean);
    expect(line.total.byAgency).toEqual({ JST: 11.5, ANR: 9 });
    expect(line.passes).toBe(full.passes);
    expect(line.flags).toEqual(full.flags.filter((flag: { kind: string }) => flag.kind !== 'missing_reviews'));
    expect(line.flags.some((flag: { kind: string }) => flag.kind === 'agency_gap')).toBe(true);
    expect(res.body.reconciliation.thresholds).toEqual(full.thresholds);
    // Reviewer identities stay on the per-proposal route.
    expect(res.text).not.toContain(j1.id);
  });

  it('leaves out a proposal the viewer is conflicted with, naming it nowhere', async () => {
    const res = await heat(conflicted);
    expect(res.status, res.text).toBe(200);
    expect(ids(res.body)).toEqual([q]);
    const proposal = await godo.models.Proposal.findById(p).lean();
    for (const word of [p, proposal!.ref, proposal!.title!.en!, proposal!.title!.ja!]) expect(res.text).not.toContain(word);
    expect((await conflicted.client.get(`/api/proposals/${p}/reconciliation`)).status).toBe(404);
  });

  it("holds for a reviewer exactly the proposals the per-proposal route shows them (submit, then read)", async () => {
    const res = await heat(j1);
    expect(res.status, res.text).toBe(200);
    expect(ids(res.body)).toEqual([p]);
    expect((await j1.client.get(`/api/proposals/${p}/reconciliation`)).status).toBe(200);
    expect((await j1.client.get(`/api/proposals/${q}/reconciliation`)).status).toBe(403);
    const j2res = await heat(j2);
    expect(j2res.status).toBe(200);
    expect(ids(j2res.body)).toEqual([]);
  });

  it('answers 404 to a member of another call, 401 to an anonymous caller, 404 for an unknown call', async () => {
    const res = await heat(outsider);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
    expect(res.text).not.toContain(p);
    expect((await new HttpClient(godo.url).get(`/api/calls/${callId}/reconciliation`)).status).toBe(401);
    expect((await po.client.get('/api/calls/0123456789abcdef01234567/reconciliation')).status).toBe(404);
  });

  it('opens every non-conflicted proposal to reviewers from the panel on', async () => {
    await advanceTo(godo, po, callId, 'panel');
    expect(ids((await heat(j2)).body).sort()).toEqual([p, q].sort());
    expect(ids((await heat(conflicted)).body)).toEqual([q]);
  });
});
