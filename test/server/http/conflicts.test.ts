import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGodo } from '../../../server/index.js';
import { HttpClient } from '../../helpers/httpClient.js';
import { startTestGodo } from '../../helpers/godo.js';
import { MISSING_ID, OPERATOR, addMember, createProposal, person, setUpCall, type CallSetup } from './setup.js';

let godo: RunningGodo;
let s: CallSetup;

beforeAll(async () => {
  godo = await startTestGodo();
  s = await setUpCall(godo);
});
afterAll(async () => {
  await godo?.close();
});

const ids = (rows: { id: string }[]) => rows.map((row) => row.id);

describe('POST /api/conflicts', () => {
  it('records a declared conflict as confirmed, after which the proposal is gone for the declarer', async () => {
    const proposalId = await createProposal(s.admin.client, s.callId);
    const res = await s.reviewer.client.post('/api/conflicts', { proposalId, type: 'advisor_advisee', note: 'PhD advisor of the JST PI' });
    expect(res.status).toBe(201);
    expect(res.body.conflict).toMatchObject({ proposalId, userId: s.reviewer.id, type: 'advisor_advisee', status: 'confirmed', source: 'declared' });
    expect((await s.reviewer.client.get(`/api/proposals/${proposalId}`)).status).toBe(404);
    expect(ids((await s.reviewer.client.get(`/api/calls/${s.callId}/proposals`)).body.proposals)).not.toContain(proposalId);
    expect((await s.reviewer.client.post('/api/conflicts', { proposalId, type: 'personal' })).status).toBe(404);
    expect(await godo.models.Audit.countDocuments({ proposalId, action: 'conflict.declared' })).toBe(1);
  });

  it('answers bad bodies with 400, observers with 403 and outsiders with 404', async () => {
    const proposalId = await createProposal(s.admin.client, s.callId);
    const noNote = await s.reviewer.client.post('/api/conflicts', { proposalId, type: 'other' });
    expect(noNote.status).toBe(400);
    expect(noNote.body.error.fields).toHaveProperty('note');
    expect((await s.reviewer.client.post('/api/conflicts', { proposalId: OPERATOR, type: 'personal' })).body.error.fields).toHaveProperty('proposalId');
    expect((await s.reviewer.client.post('/api/conflicts', { proposalId, type: 'enemy' })).body.error.fields).toHaveProperty('type');
    expect((await s.reviewer.client.post('/api/conflicts', { proposalId, type: 'personal', userId: s.po.id })).status).toBe(400);
    expect((await s.reviewer.client.post('/api/conflicts', { proposalId: MISSING_ID, type: 'personal' })).status).toBe(404);
    expect((await s.observer.client.post('/api/conflicts', { proposalId, type: 'personal' })).status).toBe(403);
    expect((await s.outsider.client.post('/api/conflicts', { proposalId, type: 'personal' })).status).toBe(404);
    expect((await new HttpClient(godo.url).post('/api/conflicts', { proposalId, type: 'personal' })).status).toBe(401);
  });
});

describe('automatic conflict proposals', () => {
  it('proposes institution and e-mail domain matches when a proposal is created, ignoring public mail domains', async () => {
    const sameInstitution = await person(godo, 'hiro@example.com', { institution: 'University of Tokyo' });
    const sameDomain = await person(godo, 'lab-head@cs.u-tokyo.ac.jp');
    const gmail = await person(godo, 'someone@gmail.com');
    for (const p of [sameInstitution, sameDomain, gmail]) {
      await addMember(s.admin.client, s.callId, { personId: p.id, role: 'reviewer', agency: 'JST' });
    }
    const proposalId = await createProposal(s.admin.client, s.callId, {
      pis: [
        { name: 'Taro Yamada', institution: 'The University of Tokyo', email: 'taro@u-tokyo.ac.jp', agency: 'JST' },
        { name: 'Marie Dubois', institution: 'CNRS', email: 'marie@gmail.com', agency: 'ANR' },
      ],
    });
    const conflicts = await godo.models.Conflict.find({ proposalId }).lean();
    expect(conflicts.map((c) => String(c.userId)).sort()).toEqual([sameInstitution.id, sameDomain.id].sort());
    expect(conflicts.every((c) => c.status === 'proposed' && c.source === 'automatic')).toBe(true);
    expect(conflicts.find((c) => String(c.userId) === sameDomain.id)?.note).toMatch(/u-tokyo\.ac\.jp/);
    expect((await gmail.client.get(`/api/proposals/${proposalId}`)).status).toBe(200);
    expect((await sameInstitution.client.get(`/api/proposals/${proposalId}`)).status).toBe(404);
  });
});

describe('GET /api/calls/:callId/conflicts', () => {
  it('shows staff every conflict and a reviewer only their own', async () => {
    const proposalId = await createProposal(s.admin.client, s.callId);
    await s.reviewerAnr.client.post('/api/conflicts', { proposalId, type: 'recent_collaborator' });
    const staff = await s.officer.client.get(`/api/calls/${s.callId}/conflicts`);
    expect(staff.status).toBe(200);
    expect(staff.body.conflicts).toContainEqual(
      expect.objectContaining({ proposalId, userId: s.reviewerAnr.id, person: expect.objectContaining({ email: s.reviewerAnr.email }) }),
    );
    expect(staff.body.conflicts.some((c: { source: string }) => c.source === 'automatic')).toBe(true);
    const own = await s.reviewerAnr.client.get(`/api/calls/${s.callId}/conflicts`);
    expect(own.body.conflicts.length).toBeGreaterThan(0);
    expect(own.body.conflicts.every((c: { userId: string }) => c.userId === s.reviewerAnr.id)).toBe(true);
    expect((await s.observer.client.get(`/api/calls/${s.callId}/conflicts`)).body.conflicts).toEqual([]);
    expect((await s.outsider.client.get(`/api/calls/${s.callId}/conflicts`)).status).toBe(404);
  });

  it('hides from staff the conflicts on proposals they are conflicted with, except their own', async () => {
    const proposalId = await createProposal(s.admin.client, s.callId);
    await s.reviewer.client.post('/api/conflicts', { proposalId, type: 'personal' });
    await s.officer.client.post('/api/conflicts', { proposalId, type: 'personal' });
    const rows = (await s.officer.client.get(`/api/calls/${s.callId}/conflicts`)).body.conflicts.filter(
      (c: { proposalId: string }) => c.proposalId === proposalId,
    );
    expect(rows.map((c: { userId: string }) => c.userId)).toEqual([s.officer.id]);
  });
});

describe('PATCH /api/conflicts/:conflictId', () => {
  it('lets staff dismiss a proposed conflict, giving the reviewer the proposal back', async () => {
    const colleague = await person(godo, 'dismiss-me@u-tokyo.ac.jp');
    await addMember(s.admin.client, s.callId, { personId: colleague.id, role: 'reviewer', agency: 'JST' });
    const proposalId = await createProposal(s.admin.client, s.callId);
    const conflict = await godo.models.Conflict.findOne({ proposalId, userId: colleague.id }).lean();
    expect((await colleague.client.get(`/api/proposals/${proposalId}`)).status).toBe(404);
    const res = await s.po.client.patch(`/api/conflicts/${conflict?._id}`, { status: 'dismissed', note: 'different department, no collaboration', version: 0 });
    expect(res.status).toBe(200);
    expect(res.body.conflict).toMatchObject({ status: 'dismissed', decidedBy: s.po.id, version: 1 });
    expect((await colleague.client.get(`/api/proposals/${proposalId}`)).status).toBe(200);
    expect(await godo.models.Audit.countDocuments({ proposalId, action: 'conflict.dismissed' })).toBe(1);
    const stale = await s.po.client.patch(`/api/conflicts/${conflict?._id}`, { status: 'confirmed', version: 0 });
    expect(stale.status).toBe(409);
    const unversioned = await s.po.client.patch(`/api/conflicts/${conflict?._id}`, { status: 'confirmed' });
    expect(unversioned.status).toBe(400);
    expect(unversioned.body.error.fields).toHaveProperty('version');
    expect((await godo.models.Conflict.findById(conflict?._id).lean())?.status).toBe('dismissed');
  });

  it('never lets someone rule on their own conflict, and refuses reviewers and observers', async () => {
    const proposalId = await createProposal(s.admin.client, s.callId);
    const own = await s.pd.client.post('/api/conflicts', { proposalId, type: 'personal' });
    expect(own.status).toBe(201);
    const url = `/api/conflicts/${own.body.conflict.id}`;
    expect((await s.pd.client.patch(url, { status: 'dismissed', version: 0 })).status).toBe(403);
    expect((await s.reviewer.client.patch(url, { status: 'dismissed', version: 0 })).status).toBe(403);
    expect((await s.observer.client.patch(url, { status: 'dismissed', version: 0 })).status).toBe(403);
    expect((await s.outsider.client.patch(url, { status: 'dismissed', version: 0 })).status).toBe(404);
    expect((await s.admin.client.patch(url, { status: 'proposed', version: 0 })).status).toBe(400);
    expect((await s.admin.client.patch(url, { status: 'confirmed', version: 0 })).status).toBe(200);
    expect((await s.admin.client.patch(`/api/conflicts/${MISSING_ID}`, { status: 'confirmed', version: 0 })).status).toBe(404);
    expect((await s.admin.client.patch('/api/conflicts/nope', { status: 'confirmed', version: 0 })).status).toBe(404);
  });

  it('is 404 for staff conflicted with the proposal', async () => {
    const proposalId = await createProposal(s.admin.client, s.callId);
    const declared = await s.reviewerAnr.client.post('/api/conflicts', { proposalId, type: 'personal' });
    await s.po.client.post('/api/conflicts', { proposalId, type: 'personal' });
    expect((await s.po.client.patch(`/api/conflicts/${declared.body.conflict.id}`, { status: 'dismissed', version: 0 })).status).toBe(404);
  });
});
