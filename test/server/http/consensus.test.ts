import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGodo } from '../../../server/index.js';
import { startTestGodo } from '../../helpers/godo.js';
import { advanceTo, assign, createCall, createMember, createProposal, declareConflict, eu, submitReview, type Member } from './panelSetup.js';

let godo: RunningGodo;
let callId: string;
let proposalId: string;
let po: Member;
let officer: Member;
let rapporteur: Member;
let anrReviewer: Member;
let observer: Member;
let conflictedPd: Member;

const url = () => `/api/proposals/${proposalId}/consensus`;
const consensus = (overrides: Record<string, unknown> = {}) => ({
  criteria: {
    excellence: { score: 4, rationale: { en: 'Novel approach.', ja: '新規性の高い手法。' }, minorityViews: [{ agency: 'ANR', text: { en: 'Preliminary data are thin.' } }] },
    impact: { score: 3.5, rationale: { en: 'Clear users.' } },
    implementation: { score: 3 },
  },
  summary: { en: 'Fund.', ja: '採択。' },
  recommendation: 'fund',
  version: 0,
  ...overrides,
});

beforeAll(async () => {
  godo = await startTestGodo();
  ({ callId } = await createCall(godo, 'cs'));
  [po, officer, rapporteur, anrReviewer, observer, conflictedPd] = await Promise.all([
    createMember(godo, callId, 'cs-po', 'po', 'JST'),
    createMember(godo, callId, 'cs-officer', 'officer', 'ANR'),
    createMember(godo, callId, 'cs-rapporteur', 'reviewer', 'JST'),
    createMember(godo, callId, 'cs-anr', 'reviewer', 'ANR'),
    createMember(godo, callId, 'cs-observer', 'observer'),
    createMember(godo, callId, 'cs-pd', 'pd', 'JST'),
  ]);
  proposalId = await createProposal(godo, callId);
  await assign(godo, callId, proposalId, rapporteur, true);
  await assign(godo, callId, proposalId, anrReviewer);
  await declareConflict(godo, callId, proposalId, conflictedPd);
  await advanceTo(godo, po, callId, 'review');
  await submitReview(rapporteur, proposalId, eu(4.5, 4, 3.5));
  await submitReview(anrReviewer, proposalId, eu(3.5, 3, 3));
});
afterAll(async () => {
  await godo?.close();
});

describe('PUT /api/proposals/:proposalId/consensus', () => {
  it('is closed during individual review', async () => {
    expect((await po.client.put(url(), consensus())).status).toBe(403);
    await advanceTo(godo, po, callId, 'panel');
  });

  it('lets the rapporteur draft it, with its outcome against the thresholds', async () => {
    const res = await rapporteur.client.put(url(), consensus());
    expect(res.status).toBe(200);
    expect(res.body.consensus).toMatchObject({
      version: 1,
      recommendation: 'fund',
      criteria: { excellence: { score: 4, minorityViews: [{ agency: 'ANR', text: { en: 'Preliminary data are thin.' } }] } },
      outcome: { total: 10.5, passes: true, failing: [] },
      outsideReviewRange: [],
      updatedBy: rapporteur.id,
    });
    expect(res.body.consensus.criteria.implementation.minorityViews).toEqual([]);
  });

  it('lets moderators edit on the current version and refuses a stale one with 409', async () => {
    const ok = await officer.client.put(url(), consensus({ version: 1, criteria: { ...consensus().criteria, implementation: { score: 2.5 } } }));
    expect(ok.status).toBe(200);
    expect(ok.body.consensus).toMatchObject({ version: 2, outcome: { total: 10, passes: false, failing: ['implementation'] }, outsideReviewRange: ['implementation'] });
    const stale = await po.client.put(url(), consensus({ version: 1 }));
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('version_conflict');
  });

  it('of two concurrent edits on one version, accepts one and refuses the other with 409', async () => {
    const [a, b] = await Promise.all([po.client.put(url(), consensus({ version: 2 })), officer.client.put(url(), consensus({ version: 2 }))]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect((await po.client.get(url())).body.consensus.version).toBe(3);
  });

  it('checks criteria, scales and minority-view sides against the call and the proposal', async () => {
    const unknown = await po.client.put(url(), consensus({ criteria: { novelty: { score: 3 } } }));
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('unknown_criterion');
    expect(unknown.body.error.fields).toHaveProperty(['criteria.novelty']);
    const step = await po.client.put(url(), consensus({ criteria: { excellence: { score: 3.25 } } }));
    expect(step.body.error.code).toBe('score_invalid_step');
    const side = await po.client.put(url(), consensus({ criteria: { excellence: { score: 3, minorityViews: [{ agency: 'NRF', text: { en: 'x' } }] } } }));
    expect(side.status).toBe(400);
    expect(side.body.error.code).toBe('consensus_invalid');
    for (const bad of [consensus({ summary: { en: { $gt: '' } } }), consensus({ recommendation: { $gt: '' } }), consensus({ criteria: { excellence: { score: '4' } } })]) {
      const res = await po.client.put(url(), bad);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
  });

  it('is 403 for reviewers who are not the rapporteur and for observers, 404 for the conflicted', async () => {
    expect((await anrReviewer.client.put(url(), consensus())).status).toBe(403);
    expect((await observer.client.put(url(), consensus())).status).toBe(403);
    const hidden = await conflictedPd.client.put(url(), consensus());
    expect(hidden.status).toBe(404);
    expect((await conflictedPd.client.get(url())).status).toBe(404);
  });

  it('records each change in the audit log with before and after', async () => {
    const entries = await godo.models.Audit.find({ proposalId, action: 'consensus.updated' }).sort({ _id: 1 }).lean();
    expect(entries).toHaveLength(3);
    expect(entries[0].before).toBeNull();
    expect(entries[1]).toMatchObject({ before: { version: 1 }, after: { version: 2, criteria: { implementation: { score: 2.5 } } } });
    expect(String(entries[1].actorId)).toBe(officer.id);
  });
});

describe('GET /api/proposals/:proposalId/consensus', () => {
  it('shows the consensus to members who may read the reconciliation, and inside the reconciliation', async () => {
    const res = await anrReviewer.client.get(url());
    expect(res.status).toBe(200);
    expect(res.body.consensus).toMatchObject({ version: 3, summary: { en: 'Fund.', ja: '採択。' } });
    const reconciliation = await observer.client.get(`/api/proposals/${proposalId}/reconciliation`);
    expect(reconciliation.body.reconciliation.consensus).toMatchObject({ version: 3, outcome: { total: 10.5 } });
  });

  it('is null before anyone writes one', async () => {
    const other = await createProposal(godo, callId);
    expect((await po.client.get(`/api/proposals/${other}/consensus`)).body).toEqual({ consensus: null });
  });
});
