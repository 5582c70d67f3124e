import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGodo } from '../../../server/index.js';
import { HttpClient } from '../../helpers/httpClient.js';
import { startTestGodo } from '../../helpers/godo.js';
import { MISSING_ID, OPERATOR, createProposal, setUpCall, type CallSetup } from './setup.js';

let godo: RunningGodo;
let s: CallSetup;

beforeAll(async () => {
  godo = await startTestGodo();
  s = await setUpCall(godo);
});
afterAll(async () => {
  await godo?.close();
});

function assign(client: HttpClient, body: Record<string, unknown>) {
  return client.post(`/api/calls/${s.callId}/assignments`, body);
}

describe('POST /api/calls/:callId/assignments', () => {
  it('assigns a reviewer on their membership side; a rapporteur becomes the proposal rapporteur', async () => {
    const proposalId = await createProposal(s.admin.client, s.callId);
    const res = await assign(s.po.client, { proposalId, reviewerId: s.reviewerAnr.id, rapporteur: true });
    expect(res.status).toBe(201);
    expect(res.body.assignment).toMatchObject({ proposalId, reviewerId: s.reviewerAnr.id, agency: 'ANR', rapporteur: true, acceptedAt: null });
    expect((await s.admin.client.get(`/api/proposals/${proposalId}`)).body.proposal.rapporteurId).toBe(s.reviewerAnr.id);
    const second = await assign(s.po.client, { proposalId, reviewerId: s.reviewer.id, rapporteur: true });
    expect(second.status).toBe(201);
    expect((await s.admin.client.get(`/api/proposals/${proposalId}`)).body.proposal.rapporteurId).toBe(s.reviewer.id);
    const first = await godo.models.Assignment.findById(res.body.assignment.id).lean();
    expect(first?.rapporteur).toBe(false);
    expect(await godo.models.Audit.countDocuments({ proposalId, action: 'assignment.created' })).toBe(2);
    const again = await assign(s.po.client, { proposalId, reviewerId: s.reviewer.id });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('already_assigned');
  });

  it('refuses a reviewer with a conflict with 409 conflict_of_interest', async () => {
    const proposalId = await createProposal(s.admin.client, s.callId);
    await s.reviewer.client.post('/api/conflicts', { proposalId, type: 'recent_collaborator' });
    const res = await assign(s.admin.client, { proposalId, reviewerId: s.reviewer.id });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('conflict_of_interest');
    expect(await godo.models.Assignment.countDocuments({ proposalId })).toBe(0);
  });

  it('assigns only reviewers of the call to proposals of the call', async () => {
    const proposalId = await createProposal(s.admin.client, s.callId);
    const observer = await assign(s.admin.client, { proposalId, reviewerId: s.observer.id });
    expect(observer.status).toBe(400);
    expect(observer.body.error.fields).toHaveProperty('reviewerId');
    expect((await assign(s.admin.client, { proposalId, reviewerId: s.outsider.id })).body.error.fields).toHaveProperty('reviewerId');
    expect((await assign(s.admin.client, { proposalId: MISSING_ID, reviewerId: s.reviewer.id })).body.error.fields).toHaveProperty('proposalId');
    expect((await assign(s.admin.client, { proposalId, reviewerId: OPERATOR })).body.error.fields).toHaveProperty('reviewerId');
    expect((await assign(s.admin.client, { proposalId, reviewerId: s.reviewer.id, rapporteur: 'yes' })).body.error.fields).toHaveProperty('rapporteur');
    expect((await assign(s.admin.client, { proposalId, reviewerId: s.reviewer.id, agency: 'ANR' })).status).toBe(400);
  });

  it('is for staff only', async () => {
    const proposalId = await createProposal(s.admin.client, s.callId);
    expect((await assign(s.reviewer.client, { proposalId, reviewerId: s.reviewer.id })).status).toBe(403);
    expect((await assign(s.observer.client, { proposalId, reviewerId: s.reviewer.id })).status).toBe(403);
    expect((await assign(s.outsider.client, { proposalId, reviewerId: s.reviewer.id })).status).toBe(404);
    expect((await assign(new HttpClient(godo.url), { proposalId, reviewerId: s.reviewer.id })).status).toBe(401);
  });
});

describe('GET /api/calls/:callId/assignments', () => {
  it("shows staff every assignment and each reviewer's load, and a reviewer only their own", async () => {
    const p1 = await createProposal(s.admin.client, s.callId);
    const p2 = await createProposal(s.admin.client, s.callId);
    await assign(s.admin.client, { proposalId: p1, reviewerId: s.reviewer.id });
    await assign(s.admin.client, { proposalId: p2, reviewerId: s.reviewer.id });
    await assign(s.admin.client, { proposalId: p2, reviewerId: s.reviewerAnr.id });
    const staff = await s.officer.client.get(`/api/calls/${s.callId}/assignments`);
    expect(staff.status).toBe(200);
    const reviewerRows = staff.body.assignments.filter((a: { reviewerId: string }) => a.reviewerId === s.reviewer.id);
    const load = staff.body.load.find((l: { reviewerId: string }) => l.reviewerId === s.reviewer.id);
    expect(load).toMatchObject({ agency: 'JST', assigned: reviewerRows.length });
    expect(load.assigned).toBeGreaterThanOrEqual(2);
    const own = await s.reviewerAnr.client.get(`/api/calls/${s.callId}/assignments`);
    expect(own.body.load).toBeNull();
    expect(own.body.assignments.every((a: { reviewerId: string }) => a.reviewerId === s.reviewerAnr.id)).toBe(true);
    expect(own.body.assignments.map((a: { proposalId: string }) => a.proposalId)).toContain(p2);
    expect((await s.outsider.client.get(`/api/calls/${s.callId}/assignments`)).status).toBe(404);
  });

  it('leaves out assignments on proposals the viewer is conflicted with', async () => {
    const proposalId = await createProposal(s.admin.client, s.callId);
    await assign(s.admin.client, { proposalId, reviewerId: s.reviewerAnr.id });
    await s.officer.client.post('/api/conflicts', { proposalId, type: 'personal' });
    const staff = await s.officer.client.get(`/api/calls/${s.callId}/assignments`);
    expect(staff.text).not.toContain(proposalId);
  });
});

describe('POST /api/assignments/:id/accept', () => {
  it('records acceptance and the no-conflict certification, once', async () => {
    const proposalId = await createProposal(s.admin.client, s.callId);
    const { body } = await assign(s.admin.client, { proposalId, reviewerId: s.reviewer.id });
    const url = `/api/assignments/${body.assignment.id}/accept`;
    expect((await s.reviewer.client.post(url, { certifyNoConflict: false })).status).toBe(400);
    expect((await s.reviewer.client.post(url, {})).body.error.fields).toHaveProperty('certifyNoConflict');
    expect((await s.reviewerAnr.client.post(url, { certifyNoConflict: true })).status).toBe(403);
    expect((await s.admin.client.post(url, { certifyNoConflict: true })).status).toBe(403);
    const res = await s.reviewer.client.post(url, { certifyNoConflict: true });
    expect(res.status).toBe(200);
    expect(res.body.assignment.acceptedAt).not.toBeNull();
    expect(res.body.assignment.noConflictCertifiedAt).toBe(res.body.assignment.acceptedAt);
    const again = await s.reviewer.client.post(url, { certifyNoConflict: true });
    expect(again.body.assignment.acceptedAt).toBe(res.body.assignment.acceptedAt);
    expect(await godo.models.Audit.countDocuments({ proposalId, action: 'assignment.accepted' })).toBe(1);
    expect((await s.reviewer.client.post(`/api/assignments/${MISSING_ID}/accept`, { certifyNoConflict: true })).status).toBe(404);
  });

  it('is 404 for a reviewer who has since declared a conflict', async () => {
    const proposalId = await createProposal(s.admin.client, s.callId);
    const { body } = await assign(s.admin.client, { proposalId, reviewerId: s.reviewerAnr.id });
    await s.reviewerAnr.client.post('/api/conflicts', { proposalId, type: 'personal' });
    expect((await s.reviewerAnr.client.post(`/api/assignments/${body.assignment.id}/accept`, { certifyNoConflict: true })).status).toBe(404);
  });
});

describe('DELETE /api/assignments/:id', () => {
  it('removes an assignment without a review and clears the rapporteur', async () => {
    const proposalId = await createProposal(s.admin.client, s.callId);
    const { body } = await assign(s.admin.client, { proposalId, reviewerId: s.reviewer.id, rapporteur: true });
    expect((await s.reviewer.client.delete(`/api/assignments/${body.assignment.id}`)).status).toBe(403);
    expect((await s.observer.client.delete(`/api/assignments/${body.assignment.id}`)).status).toBe(403);
    expect((await s.po.client.delete(`/api/assignments/${body.assignment.id}`)).status).toBe(204);
    expect((await s.po.client.delete(`/api/assignments/${body.assignment.id}`)).status).toBe(404);
    expect((await s.admin.client.get(`/api/proposals/${proposalId}`)).body.proposal.rapporteurId).toBeNull();
    expect(await godo.models.Audit.countDocuments({ proposalId, action: 'assignment.removed' })).toBe(1);
    expect((await s.po.client.delete('/api/assignments/bad')).status).toBe(404);
  });

  it('keeps an assignment once its review has started', async () => {
    const proposalId = await createProposal(s.admin.client, s.callId);
    const { body } = await assign(s.admin.client, { proposalId, reviewerId: s.reviewer.id });
    await godo.models.Review.create({ callId: s.callId, proposalId, reviewerId: s.reviewer.id, agency: 'JST' });
    const res = await s.admin.client.delete(`/api/assignments/${body.assignment.id}`);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('review_exists');
  });
});
