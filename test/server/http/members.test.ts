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

describe('GET /api/calls/:callId/members', () => {
  it('shows staff every member with contact details and the open invitations', async () => {
    await s.admin.client.post(`/api/calls/${s.callId}/invitations`, { email: 'pending@example.net', role: 'observer', language: 'en' });
    const res = await s.po.client.get(`/api/calls/${s.callId}/members`);
    expect(res.status).toBe(200);
    expect(res.body.members).toHaveLength(7);
    expect(res.body.members).toContainEqual(
      expect.objectContaining({ userId: s.reviewer.id, role: 'reviewer', agency: 'JST', email: s.reviewer.email, institution: 'Kyoto University' }),
    );
    expect(res.body.invitations).toContainEqual(expect.objectContaining({ email: 'pending@example.net', role: 'observer' }));
  });

  it('shows reviewers names, roles and sides only', async () => {
    const res = await s.reviewer.client.get(`/api/calls/${s.callId}/members`);
    expect(res.status).toBe(200);
    expect(res.body.members[0]).not.toHaveProperty('email');
    expect(res.body.invitations).toBeNull();
    expect(res.text).not.toContain('@');
  });

  it('is 404 outside the call and 401 anonymously', async () => {
    expect((await s.outsider.client.get(`/api/calls/${s.callId}/members`)).status).toBe(404);
    expect((await new HttpClient(godo.url).get(`/api/calls/${s.callId}/members`)).status).toBe(401);
  });
});

describe('PUT /api/calls/:callId/members', () => {
  it('adds a member (201), then changes them (200), auditing both', async () => {
    const someone = await person(godo, 'someone@example.org');
    const url = `/api/calls/${s.callId}/members`;
    const added = await s.admin.client.put(url, { personId: someone.id, role: 'observer' });
    expect(added.status).toBe(201);
    expect(added.body.member).toMatchObject({ userId: someone.id, role: 'observer', agency: null });
    const changed = await s.pd.client.put(url, { personId: someone.id, role: 'reviewer', agency: 'ANR', timeZone: 'Europe/Paris' });
    expect(changed.status).toBe(200);
    expect(changed.body.member).toMatchObject({ role: 'reviewer', agency: 'ANR', timeZone: 'Europe/Paris' });
    const audit = await godo.models.Audit.find({ callId: s.callId, 'after.userId': someone.id }).sort({ at: 1, _id: 1 }).lean();
    expect(audit.map((a) => a.action)).toEqual(['membership.added', 'membership.changed']);
    expect(audit[1].before).toMatchObject({ role: 'observer' });
    expect((await someone.client.get(`/api/calls/${s.callId}`)).body.call.me).toMatchObject({ role: 'reviewer', agency: 'ANR' });
  });

  it('answers bad bodies with 400 and field paths', async () => {
    const url = `/api/calls/${s.callId}/members`;
    const unknownPerson = await s.admin.client.put(url, { personId: MISSING_ID, role: 'observer' });
    expect(unknownPerson.status).toBe(400);
    expect(unknownPerson.body.error.fields).toHaveProperty('personId');
    const operator = await s.admin.client.put(url, { personId: OPERATOR, role: 'observer' });
    expect(operator.body.error.fields).toHaveProperty('personId');
    const foreign = await s.admin.client.put(url, { personId: s.outsider.id, role: 'reviewer', agency: 'DFG' });
    expect(foreign.body.error.fields.agency).toMatch(/JST, ANR/);
    const pdSide = await s.admin.client.put(url, { personId: s.outsider.id, role: 'pd', agency: 'ANR' });
    expect(pdSide.body.error.fields.agency).toMatch(/JST/);
    const extra = await s.admin.client.put(url, { personId: s.outsider.id, role: 'observer', isAdmin: true });
    expect(extra.status).toBe(400);
  });

  it('lets only call administrators grant or take away the admin role', async () => {
    const url = `/api/calls/${s.callId}/members`;
    expect((await s.pd.client.put(url, { personId: s.outsider.id, role: 'admin' })).status).toBe(403);
    expect((await s.pd.client.put(url, { personId: s.admin.id, role: 'observer' })).status).toBe(403);
    expect((await s.officer.client.put(url, { personId: s.outsider.id, role: 'observer' })).status).toBe(403);
    expect((await s.observer.client.put(url, { personId: s.outsider.id, role: 'observer' })).status).toBe(403);
    expect((await s.reviewer.client.put(url, { personId: s.outsider.id, role: 'observer' })).status).toBe(403);
    expect((await s.outsider.client.put(url, { personId: s.outsider.id, role: 'observer' })).status).toBe(404);
  });

  it('proposes conflicts once, however often the membership is written', async () => {
    const proposalId = await createProposal(s.admin.client, s.callId);
    const colleague = await person(godo, 'colleague@u-tokyo.ac.jp');
    await addMember(s.admin.client, s.callId, { personId: colleague.id, role: 'reviewer', agency: 'JST' });
    await addMember(s.admin.client, s.callId, { personId: colleague.id, role: 'reviewer', agency: 'JST', language: 'ja' });
    expect(await godo.models.Conflict.countDocuments({ proposalId, userId: colleague.id })).toBe(1);
    expect((await colleague.client.get(`/api/proposals/${proposalId}`)).status).toBe(404);
  });
});

describe('DELETE /api/calls/:callId/members/:userId', () => {
  it('removes a member, who then cannot see the call', async () => {
    const leaving = await person(godo, 'leaving@example.org');
    await addMember(s.admin.client, s.callId, { personId: leaving.id, role: 'observer' });
    expect((await s.po.client.delete(`/api/calls/${s.callId}/members/${leaving.id}`)).status).toBe(204);
    expect((await leaving.client.get(`/api/calls/${s.callId}`)).status).toBe(404);
    expect((await s.po.client.delete(`/api/calls/${s.callId}/members/${leaving.id}`)).status).toBe(404);
    expect(await godo.models.Audit.countDocuments({ callId: s.callId, action: 'membership.removed', 'before.userId': leaving.id })).toBe(1);
  });

  it('keeps a reviewer with assignments, and refuses others', async () => {
    const proposalId = await createProposal(s.admin.client, s.callId);
    const assigned = await s.admin.client.post(`/api/calls/${s.callId}/assignments`, { proposalId, reviewerId: s.reviewerAnr.id });
    expect(assigned.status).toBe(201);
    const res = await s.admin.client.delete(`/api/calls/${s.callId}/members/${s.reviewerAnr.id}`);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('member_has_assignments');
    const sideChange = await s.admin.client.put(`/api/calls/${s.callId}/members`, { personId: s.reviewerAnr.id, role: 'reviewer', agency: 'JST' });
    expect(sideChange.status).toBe(409);
    expect((await s.reviewer.client.delete(`/api/calls/${s.callId}/members/${s.observer.id}`)).status).toBe(403);
    expect((await s.admin.client.delete(`/api/calls/${s.callId}/members/not-an-id`)).status).toBe(404);
    expect((await new HttpClient(godo.url).delete(`/api/calls/${s.callId}/members/${s.observer.id}`)).status).toBe(401);
  });
});
