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
  submitReview,
  threeAgencyCallInput,
  type Member,
} from './panelSetup.js';

let godo: RunningGodo;

beforeAll(async () => {
  godo = await startTestGodo();
});
afterAll(async () => {
  await godo?.close();
});

type SignOffLine = { agency: string; status: string; voidedBy: string | null; signedBy: { name: string } | null };
const statuses = (decision: { signOffs: SignOffLine[] }) => Object.fromEntries(decision.signOffs.map((s) => [s.agency, s.status]));

describe('a proposal from review to a joint decision signed off by both agencies (JST–ANR)', () => {
  let callId: string;
  let proposalId: string;
  let otherId: string;
  let po: Member;
  let pd: Member;
  let officer: Member;
  let rapporteur: Member;
  let anrReviewer: Member;
  let observer: Member;
  let conflicted: Member;
  const decisionUrl = () => `/api/proposals/${proposalId}/decision`;
  const signOffUrl = () => `/api/proposals/${proposalId}/signoffs`;
  const decision = async (who: Member = po) => (await who.client.get(decisionUrl())).body.decision;

  beforeAll(async () => {
    ({ callId } = await createCall(godo, 'dc'));
    [po, pd, officer, rapporteur, anrReviewer, observer, conflicted] = await Promise.all([
      createMember(godo, callId, 'dc-po', 'po', 'JST'),
      createMember(godo, callId, 'dc-pd', 'pd', 'JST'),
      createMember(godo, callId, 'dc-officer', 'officer', 'ANR'),
      createMember(godo, callId, 'dc-rapporteur', 'reviewer', 'JST'),
      createMember(godo, callId, 'dc-anr', 'reviewer', 'ANR'),
      createMember(godo, callId, 'dc-observer', 'observer'),
      createMember(godo, callId, 'dc-conflicted', 'officer', 'ANR'),
    ]);
    proposalId = await createProposal(godo, callId);
    otherId = await createProposal(godo, callId);
    for (const id of [proposalId, otherId]) {
      await assign(godo, callId, id, rapporteur, id === proposalId);
      await assign(godo, callId, id, anrReviewer);
    }
    await declareConflict(godo, callId, proposalId, conflicted);
    await advanceTo(godo, po, callId, 'review');
  });

  it('review: drafts stay private; after submitting, each reviewer reads the other', async () => {
    await submitReview(rapporteur, proposalId, eu(4, 4, 3.5), false);
    expect((await anrReviewer.client.get(`/api/proposals/${proposalId}/reviews`)).status).toBe(403);
    await submitReview(anrReviewer, proposalId, eu(3.5, 3, 3));
    expect((await anrReviewer.client.get(`/api/proposals/${proposalId}/reviews`)).body.reviews).toHaveLength(1);
    await submitReview(rapporteur, proposalId, eu(4, 4, 3.5));
    expect((await anrReviewer.client.get(`/api/proposals/${proposalId}/reviews`)).body.reviews).toHaveLength(2);
    await submitReview(rapporteur, otherId, eu(3, 3, 3));
    await submitReview(anrReviewer, otherId, eu(3, 3, 3));
  });

  it('reconciliation, consensus and a ranking move with its reason in the panel', async () => {
    await advanceTo(godo, po, callId, 'panel');
    const reconciliation = (await po.client.get(`/api/proposals/${proposalId}/reconciliation`)).body.reconciliation;
    expect(reconciliation.total.overall).toMatchObject({ n: 2, mean: 10.5 });
    const consensus = await rapporteur.client.put(`/api/proposals/${proposalId}/consensus`, {
      criteria: { excellence: { score: 4 }, impact: { score: 3.5 }, implementation: { score: 3 } },
      summary: { en: 'Strong joint team.' },
      recommendation: 'fund',
      version: 0,
    });
    expect(consensus.status).toBe(200);
    const noReason = await officer.client.post(`/api/calls/${callId}/ranking/moves`, { proposalId: otherId, toPosition: 1, version: 0 });
    expect(noReason.status).toBe(400);
    const moved = await officer.client.post(`/api/calls/${callId}/ranking/moves`, { proposalId: otherId, toPosition: 1, reason: 'Budget balance', version: 0 });
    expect(moved.status).toBe(200);
    expect(moved.body.ranking.moves[0]).toMatchObject({ reason: 'Budget balance', by: { id: officer.id } });
  });

  it('decision: set by a moderator, validated, readable by staff only before the call is decided', async () => {
    const missing = await po.client.put(decisionUrl(), { kind: 'fund_with_conditions', version: 0 });
    expect(missing.status).toBe(400);
    expect(missing.body.error.fields).toHaveProperty(['conditions']);
    const extra = await po.client.put(decisionUrl(), { kind: 'reject', conditions: { en: 'x' }, version: 0 });
    expect(extra.status).toBe(400);
    expect((await po.client.put(decisionUrl(), { kind: { $gt: '' }, version: 0 })).status).toBe(400);
    const unversioned = await po.client.put(decisionUrl(), { kind: 'fund' });
    expect(unversioned.status).toBe(400);
    expect(unversioned.body.error.fields).toHaveProperty(['version']);
    expect((await rapporteur.client.put(decisionUrl(), { kind: 'fund', version: 0 })).status).toBe(403);
    const res = await po.client.put(decisionUrl(), { kind: 'fund', version: 0 });
    expect(res.status).toBe(200);
    expect(res.body.decision).toMatchObject({ decision: { kind: 'fund', conditions: null }, version: 1, final: false });
    expect(statuses(res.body.decision)).toEqual({ JST: 'missing', ANR: 'missing' });
    expect(res.body.decision.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect((await po.client.put(decisionUrl(), { kind: 'reserve', version: 0 })).status).toBe(409);
    expect((await rapporteur.client.get(decisionUrl())).status).toBe(403);
    expect((await observer.client.get(decisionUrl())).status).toBe(200);
    expect((await conflicted.client.get(decisionUrl())).status).toBe(404);
  });

  it('sign-off: only in finalization, by JST (PO/PD) and by the counterpart officer, on the content shown', async () => {
    const { contentHash } = await decision();
    expect((await officer.client.post(signOffUrl(), { contentHash })).status).toBe(403);
    await advanceTo(godo, po, callId, 'finalization');
    expect((await rapporteur.client.post(signOffUrl(), { contentHash })).status).toBe(403);
    expect((await observer.client.post(signOffUrl(), { contentHash })).status).toBe(403);
    expect((await conflicted.client.post(signOffUrl(), { contentHash })).status).toBe(404);
    expect((await officer.client.post(signOffUrl(), { contentHash: { $gt: '' } })).status).toBe(400);
    const stale = await officer.client.post(signOffUrl(), { contentHash: 'a'.repeat(64) });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('signoff_stale');

    const anr = await officer.client.post(signOffUrl(), { contentHash });
    expect(anr.status).toBe(201);
    expect(statuses(anr.body.decision)).toEqual({ JST: 'missing', ANR: 'valid' });
    expect(anr.body.decision.signOffs[1].signedBy).toMatchObject({ name: 'dc-officer', role: 'officer' });
    expect(anr.body.decision.final).toBe(false);
  });

  it('a consensus change voids the sign-off given on the earlier content, with an audit entry', async () => {
    const res = await po.client.put(`/api/proposals/${proposalId}/consensus`, {
      criteria: { excellence: { score: 4.5 }, impact: { score: 3.5 }, implementation: { score: 3 } },
      summary: { en: 'Strong joint team.' },
      recommendation: 'fund',
      version: 1,
    });
    expect(res.status).toBe(200);
    const after = await decision();
    expect(statuses(after)).toEqual({ JST: 'missing', ANR: 'voided' });
    expect(after.signOffs[1].voidedBy).toBe('consensus.updated');
    const audit = await godo.models.Audit.find({ proposalId, action: 'signoff.voided' }).lean();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ before: { agency: 'ANR' }, after: { cause: 'consensus.updated' } });
  });

  it('is final once every agency has signed the current content; the consensus is then frozen', async () => {
    const { contentHash } = await decision();
    const [anr, jst] = await Promise.all([
      officer.client.post(signOffUrl(), { contentHash }),
      pd.client.post(signOffUrl(), { contentHash }),
    ]);
    expect([anr.status, jst.status]).toEqual([201, 201]);
    const final = await decision();
    expect(statuses(final)).toEqual({ JST: 'valid', ANR: 'valid' });
    expect(final.final).toBe(true);
    expect(final.signOffs[0].signedBy).toMatchObject({ name: 'dc-pd', role: 'pd' });
    const frozen = await po.client.put(`/api/proposals/${proposalId}/consensus`, {
      criteria: { excellence: { score: 3 } },
      version: 2,
    });
    expect(frozen.status).toBe(403);
    expect(await godo.models.Audit.countDocuments({ proposalId, action: 'signoff.given' })).toBe(3);
  });

  it('a later score change voids every sign-off', async () => {
    // The phase graph never goes back from finalization; an administrator reopening review is simulated.
    await godo.models.Call.updateOne({ _id: callId }, { $set: { phase: 'review' } });
    await submitReview(anrReviewer, proposalId, eu(3.5, 3, 2.5));
    await godo.models.Call.updateOne({ _id: callId }, { $set: { phase: 'finalization' } });
    const after = await decision();
    expect(statuses(after)).toEqual({ JST: 'voided', ANR: 'voided' });
    expect(after.final).toBe(false);
    expect(after.signOffs.map((s: SignOffLine) => s.voidedBy)).toEqual(['review.saved', 'review.saved']);
    expect(await godo.models.Audit.countDocuments({ proposalId, action: 'signoff.voided' })).toBe(3);
    // Frozen no more: the consensus can follow the new scores.
    const reopened = await po.client.put(`/api/proposals/${proposalId}/consensus`, {
      criteria: { excellence: { score: 4 }, impact: { score: 3 }, implementation: { score: 3 } },
      version: 2,
    });
    expect(reopened.status).toBe(200);
  });

  it('a decision change voids the sign-offs too, and a decision kept as it was voids nothing', async () => {
    let { contentHash } = await decision();
    await officer.client.post(signOffUrl(), { contentHash });
    await po.client.post(signOffUrl(), { contentHash });
    expect((await decision()).final).toBe(true);
    const conditions = { en: 'Add a data management plan.', ja: 'データ管理計画を追加すること。' };
    const changed = await pd.client.put(decisionUrl(), { kind: 'fund_with_conditions', conditions, version: 1 });
    expect(changed.status).toBe(200);
    expect(changed.body.decision.decision).toEqual({ kind: 'fund_with_conditions', conditions });
    expect(statuses(changed.body.decision)).toEqual({ JST: 'voided', ANR: 'voided' });
    expect(changed.body.decision.signOffs.map((s: SignOffLine) => s.voidedBy)).toEqual(['decision.set', 'decision.set']);

    ({ contentHash } = await decision());
    await officer.client.post(signOffUrl(), { contentHash });
    const same = await pd.client.put(decisionUrl(), { kind: 'fund_with_conditions', conditions, version: 2 });
    expect(statuses(same.body.decision)).toEqual({ JST: 'voided', ANR: 'valid' });
  });
});

describe('a three-agency call: sign-off by each participating agency only', () => {
  let callId: string;
  let po: Member;
  let nrfOfficer: Member;
  let anrOfficer: Member;
  let twoSided: string;
  let threeSided: string;

  beforeAll(async () => {
    ({ callId } = await createCall(godo, 'tri', threeAgencyCallInput()));
    [po, nrfOfficer, anrOfficer] = await Promise.all([
      createMember(godo, callId, 'tri-po', 'po', 'JST'),
      createMember(godo, callId, 'tri-nrf', 'officer', 'NRF'),
      createMember(godo, callId, 'tri-anr', 'officer', 'ANR'),
    ]);
    twoSided = await createProposal(godo, callId, { agencies: ['JST', 'NRF'] });
    threeSided = await createProposal(godo, callId, { agencies: ['JST', 'NRF', 'ANR'] });
    await advanceTo(godo, po, callId, 'panel');
    for (const id of [twoSided, threeSided]) expect((await po.client.put(`/api/proposals/${id}/decision`, { kind: 'fund', version: 0 })).status).toBe(200);
    await advanceTo(godo, po, callId, 'finalization');
  });

  it('lists the participating agencies in order, JST first', async () => {
    const two = (await po.client.get(`/api/proposals/${twoSided}/decision`)).body.decision;
    expect(statuses(two)).toEqual({ JST: 'missing', NRF: 'missing' });
    const three = (await po.client.get(`/api/proposals/${threeSided}/decision`)).body.decision;
    expect(three.signOffs.map((s: SignOffLine) => s.agency)).toEqual(['JST', 'NRF', 'ANR']);
  });

  it('refuses a sign-off from an agency the proposal does not involve', async () => {
    const { contentHash } = (await po.client.get(`/api/proposals/${twoSided}/decision`)).body.decision;
    const res = await anrOfficer.client.post(`/api/proposals/${twoSided}/signoffs`, { contentHash });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('signoff_not_eligible');
  });

  it('is final with two sign-offs for a two-sided proposal, and needs all three otherwise', async () => {
    for (const id of [twoSided, threeSided]) {
      const { contentHash } = (await po.client.get(`/api/proposals/${id}/decision`)).body.decision;
      for (const signer of [po, nrfOfficer]) expect((await signer.client.post(`/api/proposals/${id}/signoffs`, { contentHash })).status).toBe(201);
    }
    expect((await po.client.get(`/api/proposals/${twoSided}/decision`)).body.decision.final).toBe(true);
    const three = (await po.client.get(`/api/proposals/${threeSided}/decision`)).body.decision;
    expect(statuses(three)).toEqual({ JST: 'valid', NRF: 'valid', ANR: 'missing' });
    expect(three.final).toBe(false);
    await anrOfficer.client.post(`/api/proposals/${threeSided}/signoffs`, { contentHash: three.contentHash });
    expect((await po.client.get(`/api/proposals/${threeSided}/decision`)).body.decision.final).toBe(true);
  });
});
