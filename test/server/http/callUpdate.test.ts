import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGodo } from '../../../server/index.js';
import { bilateralCallInput } from '../../helpers/fixtures.js';
import { HttpClient } from '../../helpers/httpClient.js';
import { startTestGodo } from '../../helpers/godo.js';
import { MISSING_ID, OPERATOR, addMember, createProposal, setUpCall, type CallSetup } from './setup.js';

let godo: RunningGodo;
let s: CallSetup;

beforeAll(async () => {
  godo = await startTestGodo();
  s = await setUpCall(godo);
});
afterAll(async () => {
  await godo?.close();
});

/** A fresh call created by the setup's admin; returns its id. */
async function newCall(overrides = {}): Promise<string> {
  const res = await s.admin.client.post('/api/calls', bilateralCallInput(overrides));
  expect(res.status).toBe(201);
  return res.body.call.id;
}

const criteria = bilateralCallInput().criteria;

describe('PATCH /api/calls/:callId', () => {
  it('updates with the current version, returns the new version and audits before and after', async () => {
    const callId = await newCall();
    const res = await s.admin.client.patch(`/api/calls/${callId}`, { version: 0, title: { en: 'Renamed call', ja: '改名した公募' }, overallThreshold: 11 });
    expect(res.status).toBe(200);
    expect(res.body.call).toMatchObject({ version: 1, title: { en: 'Renamed call' }, overallThreshold: 11 });
    const audit = await godo.models.Audit.findOne({ callId, action: 'call.updated' }).lean();
    expect(audit?.before).toMatchObject({ title: { en: 'Joint call on AI for materials' }, overallThreshold: 10 });
    expect(audit?.after).toMatchObject({ title: { en: 'Renamed call' }, overallThreshold: 11 });
    expect(String(audit?.actorId)).toBe(s.admin.id);
  });

  it('lets the PD and PO edit, refuses officers, reviewers and observers, hides the call from outsiders', async () => {
    const url = `/api/calls/${s.callId}`;
    const current = (await s.admin.client.get(url)).body.call.version;
    expect((await s.pd.client.patch(url, { version: current, timeZone: 'Asia/Tokyo' })).status).toBe(200);
    expect((await s.officer.client.patch(url, { version: current + 1, timeZone: 'UTC' })).status).toBe(403);
    expect((await s.reviewer.client.patch(url, { version: current + 1, timeZone: 'UTC' })).status).toBe(403);
    expect((await s.observer.client.patch(url, { version: current + 1, timeZone: 'UTC' })).status).toBe(403);
    expect((await s.outsider.client.patch(url, { version: current + 1, timeZone: 'UTC' })).status).toBe(404);
    expect((await new HttpClient(godo.url).patch(url, { version: current + 1, timeZone: 'UTC' })).status).toBe(401);
    expect((await s.admin.client.patch(`/api/calls/${MISSING_ID}`, { version: 0 })).status).toBe(404);
    expect((await s.admin.client.patch('/api/calls/zzz', { version: 0 })).status).toBe(404);
  });

  it('answers bad bodies with 400 and field paths', async () => {
    const callId = await newCall();
    const url = `/api/calls/${callId}`;
    const noVersion = await s.admin.client.patch(url, { timeZone: 'UTC' });
    expect(noVersion.status).toBe(400);
    expect(noVersion.body.error.fields).toHaveProperty('version');
    const operator = await s.admin.client.patch(url, { version: 0, timeZone: OPERATOR });
    expect(operator.status).toBe(400);
    expect(operator.body.error.fields).toHaveProperty('timeZone');
    const unknown = await s.admin.client.patch(url, { version: 0, phase: 'decided' });
    expect(unknown.status).toBe(400);
    const wrongType = await s.admin.client.patch(url, { version: '0' });
    expect(wrongType.body.error.fields).toHaveProperty('version');
    const huge = await s.admin.client.patch(url, { version: 0, title: { en: 'x'.repeat(200_000), ja: 'y' } });
    expect(huge.status).toBe(400);
    expect(huge.body.error.fields).toHaveProperty('title.en');
    const notJson = await s.admin.client.request('PATCH', url, '{"version": 0,', { 'content-type': 'application/json' });
    expect(notJson.status).toBe(400);
    const version = (await s.admin.client.get(url)).body.call.version;
    expect(version).toBe(0);
  });

  it('re-validates the merged call (a bilateral call keeps exactly two agencies)', async () => {
    const callId = await newCall();
    const agencies = [
      ...bilateralCallInput().agencies,
      { code: 'DFG', name: { en: 'German Research Foundation', ja: 'ドイツ研究振興協会' }, timeZone: 'Europe/Berlin', currency: 'EUR', budgetEnvelope: 1_000_000 },
    ];
    const res = await s.admin.client.patch(`/api/calls/${callId}`, { version: 0, agencies });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.agencies).toMatch(/exactly 2 agencies/);
    const programme = await s.admin.client.patch(`/api/calls/${callId}`, { version: 0, programme: 'multilateral_asia', agencies });
    expect(programme.status).toBe(200);
    expect(programme.body.call.agencies).toHaveLength(3);
  });

  it('lets exactly one of several concurrent edits with the same version through', async () => {
    const callId = await newCall();
    const editors = [s.admin.client, s.pd.client, s.po.client];
    await addMember(s.admin.client, callId, { personId: s.pd.id, role: 'pd', agency: 'JST' });
    await addMember(s.admin.client, callId, { personId: s.po.id, role: 'po', agency: 'JST' });
    const results = await Promise.all(
      [9, 10.5, 11, 12, 13].map((overallThreshold, i) => editors[i % 3].patch(`/api/calls/${callId}`, { version: 0, overallThreshold })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409]);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.error.code === 'version_conflict')).toBe(true);
    const after = await s.admin.client.get(`/api/calls/${callId}`);
    expect(after.body.call.version).toBe(1);
    expect(await godo.models.Audit.countDocuments({ callId, action: 'call.updated' })).toBe(1);
  });

  it('refuses to change criteria once a review exists, but lets them be renamed', async () => {
    const callId = await newCall();
    await addMember(s.admin.client, callId, { personId: s.reviewer.id, role: 'reviewer', agency: 'JST' });
    const proposalId = await createProposal(s.admin.client, callId);
    const change = [{ ...criteria[0], scale: 'one_to_five', halfMarks: false }, criteria[1], criteria[2]];
    // Before any review, criteria may change freely.
    const early = await s.admin.client.patch(`/api/calls/${callId}`, { version: 0, criteria: criteria.map((c) => ({ ...c, weight: 2 })) });
    expect(early.status).toBe(200);
    await godo.models.Review.create({ callId, proposalId, reviewerId: s.reviewer.id, agency: 'JST', scores: { excellence: 4 } });
    const locked = await s.admin.client.patch(`/api/calls/${callId}`, { version: 1, criteria: change });
    expect(locked.status).toBe(409);
    expect(locked.body.error.code).toBe('criteria_locked');
    const weight = await s.admin.client.patch(`/api/calls/${callId}`, { version: 1, criteria: criteria.map((c) => ({ ...c, weight: 3 })) });
    expect(weight.body.error.code).toBe('criteria_locked');
    const renamed = criteria.map((c, i) => ({ ...c, weight: 2, name: { en: `Criterion ${i + 1}`, ja: `基準${i + 1}` } }));
    const ok = await s.admin.client.patch(`/api/calls/${callId}`, { version: 1, criteria: renamed });
    expect(ok.status).toBe(200);
    expect(ok.body.call.criteria[0].name.en).toBe('Criterion 1');
  });

  it('refuses to drop an agency that members or proposals still use', async () => {
    const callId = await newCall();
    await addMember(s.admin.client, callId, { personId: s.reviewerAnr.id, role: 'reviewer', agency: 'ANR' });
    const [jst] = bilateralCallInput().agencies;
    const dfg = { code: 'DFG', name: { en: 'German Research Foundation', ja: 'ドイツ研究振興協会' }, timeZone: 'Europe/Berlin', currency: 'EUR', budgetEnvelope: 1_000_000 };
    const res = await s.admin.client.patch(`/api/calls/${callId}`, { version: 0, agencies: [jst, dfg] });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('agency_in_use');
  });
});
