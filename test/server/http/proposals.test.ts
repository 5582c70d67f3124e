import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGodo } from '../../../server/index.js';
import { HttpClient } from '../../helpers/httpClient.js';
import { startTestGodo } from '../../helpers/godo.js';
import { MISSING_ID, OPERATOR, createProposal, proposalInput, setUpCall, type CallSetup } from './setup.js';

let godo: RunningGodo;
let s: CallSetup;

beforeAll(async () => {
  godo = await startTestGodo();
  s = await setUpCall(godo);
});
afterAll(async () => {
  await godo?.close();
});

describe('POST /api/calls/:callId/proposals', () => {
  it('creates a proposal with a reference, its agencies and an audit entry', async () => {
    const res = await s.admin.client.post(`/api/calls/${s.callId}/proposals`, proposalInput());
    expect(res.status).toBe(201);
    expect(res.body.proposal).toMatchObject({
      ref: expect.stringMatching(/^SICORP-\d{4}-\d{3}$/),
      agencies: ['JST', 'ANR'],
      periodMonths: 36,
      version: 0,
      budget: { JST: [20_000_000, 20_000_000, 20_000_000] },
    });
    const audit = await godo.models.Audit.find({ proposalId: res.body.proposal.id, action: 'proposal.created' }).lean();
    expect(audit).toHaveLength(1);
    expect(String(audit[0].actorId)).toBe(s.admin.id);
  });

  it('numbers references one after another', async () => {
    const a = await s.pd.client.post(`/api/calls/${s.callId}/proposals`, proposalInput());
    const b = await s.po.client.post(`/api/calls/${s.callId}/proposals`, proposalInput());
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(a.body.proposal.ref).not.toBe(b.body.proposal.ref);
  });

  it('refuses a JST budget outside the programme range, naming the year and the range', async () => {
    const res = await s.admin.client.post(
      `/api/calls/${s.callId}/proposals`,
      proposalInput({ budget: { JST: [200_000_000, 20_000_000, 20_000_000], ANR: [150_000, 150_000, 150_000] } }),
    );
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('budget_out_of_range');
    expect(res.body.error.fields['budget.JST.year1']).toMatch(/5,000,000.*100,000,000/);
  });

  it('refuses a research period outside the programme range', async () => {
    const res = await s.admin.client.post(`/api/calls/${s.callId}/proposals`, proposalInput({ periodMonths: 12, budget: { JST: [20_000_000], ANR: [1] } }));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('period_out_of_range');
    expect(res.body.error.fields.periodMonths).toMatch(/36 and 60/);
  });

  it('refuses a budget whose years do not match the period', async () => {
    const res = await s.admin.client.post(`/api/calls/${s.callId}/proposals`, proposalInput({ periodMonths: 48 }));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('budget_years_mismatch');
    expect(Object.keys(res.body.error.fields)).toContain('budget.JST');
  });

  it('refuses PIs funded by an agency outside the call', async () => {
    const input = proposalInput({
      pis: [
        { name: 'Taro Yamada', institution: 'The University of Tokyo', email: 'taro@u-tokyo.ac.jp', agency: 'JST' },
        { name: 'Hans Weber', institution: 'TU Berlin', email: 'weber@tu-berlin.de', agency: 'DFG' },
      ],
      budget: { JST: [20_000_000, 20_000_000, 20_000_000], DFG: [1, 1, 1] },
    });
    const res = await s.admin.client.post(`/api/calls/${s.callId}/proposals`, input);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('proposal_agencies_invalid');
    expect(res.body.error.fields.pis).toMatch(/JST, ANR/);
  });

  it('answers malformed bodies with 400 and the bad fields', async () => {
    const url = `/api/calls/${s.callId}/proposals`;
    const operator = await s.admin.client.post(url, { ...proposalInput(), title: { en: OPERATOR } });
    expect(operator.status).toBe(400);
    expect(operator.body.error.fields).toHaveProperty('title.en');
    const unknown = await s.admin.client.post(url, { ...proposalInput(), status: 'funded' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('validation_failed');
    const wrongType = await s.admin.client.post(url, { ...proposalInput(), periodMonths: '36' });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error.fields).toHaveProperty('periodMonths');
    const huge = await s.admin.client.post(url, { ...proposalInput(), title: { en: 'x'.repeat(100_000) } });
    expect(huge.status).toBe(400);
    expect(huge.body.error.fields).toHaveProperty('title.en');
  });

  it('lets only staff who set up create, and hides the call from outsiders', async () => {
    const url = `/api/calls/${s.callId}/proposals`;
    expect((await s.reviewer.client.post(url, proposalInput())).status).toBe(403);
    expect((await s.observer.client.post(url, proposalInput())).status).toBe(403);
    expect((await s.outsider.client.post(url, proposalInput())).status).toBe(404);
    expect((await new HttpClient(godo.url).post(url, proposalInput())).status).toBe(401);
    expect((await s.admin.client.post(`/api/calls/${MISSING_ID}/proposals`, proposalInput())).status).toBe(404);
    expect((await s.admin.client.post('/api/calls/not-an-id/proposals', proposalInput())).status).toBe(404);
  });
});

describe('GET /api/calls/:callId/proposals and /api/proposals/:id', () => {
  it('lists summaries; staff also get counts, reviewers their own state', async () => {
    const id = await createProposal(s.admin.client, s.callId);
    const staff = await s.po.client.get(`/api/calls/${s.callId}/proposals`);
    expect(staff.status).toBe(200);
    const row = staff.body.proposals.find((p: { id: string }) => p.id === id);
    expect(row).toMatchObject({ agencies: ['JST', 'ANR'], counts: { assignments: 0, submittedReviews: 0 }, me: { assignment: null, reviewStatus: null } });
    expect(row.pis[0]).not.toHaveProperty('email');
    const reviewer = await s.reviewer.client.get(`/api/calls/${s.callId}/proposals`);
    const mine = reviewer.body.proposals.find((p: { id: string }) => p.id === id);
    expect(mine).toBeDefined();
    expect(mine).not.toHaveProperty('counts');
  });

  it('shows one proposal with the actions the requester may take', async () => {
    const id = await createProposal(s.admin.client, s.callId);
    const res = await s.reviewer.client.get(`/api/proposals/${id}`);
    expect(res.status).toBe(200);
    expect(res.body.proposal.pis[0].email).toBe('taro@u-tokyo.ac.jp');
    expect(res.body.proposal.me.allowed).toContain('proposal:read');
    expect(res.body.proposal.me.allowed).not.toContain('proposal:update');
    expect((await s.outsider.client.get(`/api/proposals/${id}`)).status).toBe(404);
    expect((await s.admin.client.get(`/api/proposals/${MISSING_ID}`)).status).toBe(404);
    expect((await s.admin.client.get('/api/proposals/123')).status).toBe(404);
    expect((await new HttpClient(godo.url).get(`/api/proposals/${id}`)).status).toBe(401);
  });

  it('hides a proposal entirely from a conflicted person', async () => {
    const id = await createProposal(s.admin.client, s.callId);
    const declared = await s.reviewerAnr.client.post('/api/conflicts', { proposalId: id, type: 'recent_collaborator' });
    expect(declared.status).toBe(201);
    expect((await s.reviewerAnr.client.get(`/api/proposals/${id}`)).status).toBe(404);
    const list = await s.reviewerAnr.client.get(`/api/calls/${s.callId}/proposals`);
    expect(list.body.proposals.map((p: { id: string }) => p.id)).not.toContain(id);
    expect(list.text).not.toContain(id);
  });
});

describe('PATCH /api/proposals/:id', () => {
  it('updates with the current version, re-validating the merged proposal', async () => {
    const id = await createProposal(s.admin.client, s.callId);
    const ok = await s.pd.client.patch(`/api/proposals/${id}`, { version: 0, title: { en: 'Renamed', ja: '改名' } });
    expect(ok.status).toBe(200);
    expect(ok.body.proposal).toMatchObject({ version: 1, title: { en: 'Renamed', ja: '改名' } });
    const stale = await s.pd.client.patch(`/api/proposals/${id}`, { version: 0, periodMonths: 36 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('version_conflict');
    const badMerge = await s.pd.client.patch(`/api/proposals/${id}`, { version: 1, periodMonths: 48 });
    expect(badMerge.status).toBe(400);
    expect(badMerge.body.error.code).toBe('budget_years_mismatch');
    const noVersion = await s.pd.client.patch(`/api/proposals/${id}`, { periodMonths: 36 });
    expect(noVersion.status).toBe(400);
    expect(noVersion.body.error.fields).toHaveProperty('version');
    const audit = await godo.models.Audit.find({ proposalId: id, action: 'proposal.updated' }).lean();
    expect(audit).toHaveLength(1);
    expect(audit[0].before).toMatchObject({ title: { en: 'Self-driving laboratories for battery materials' } });
  });

  it('lets exactly one of two concurrent edits with the same version through', async () => {
    const id = await createProposal(s.admin.client, s.callId);
    const [a, b] = await Promise.all([
      s.pd.client.patch(`/api/proposals/${id}`, { version: 0, title: { en: 'A' } }),
      s.po.client.patch(`/api/proposals/${id}`, { version: 0, title: { en: 'B' } }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const now = await s.admin.client.get(`/api/proposals/${id}`);
    expect(now.body.proposal.version).toBe(1);
  });

  it('is refused to reviewers and observers, and 404 for outsiders', async () => {
    const id = await createProposal(s.admin.client, s.callId);
    expect((await s.reviewer.client.patch(`/api/proposals/${id}`, { version: 0, periodMonths: 36 })).status).toBe(403);
    expect((await s.observer.client.patch(`/api/proposals/${id}`, { version: 0, periodMonths: 36 })).status).toBe(403);
    expect((await s.outsider.client.patch(`/api/proposals/${id}`, { version: 0, periodMonths: 36 })).status).toBe(404);
  });
});
