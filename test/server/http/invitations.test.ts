import { createHash } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config.js';
import { startGodo, type RunningGodo } from '../../../server/index.js';
import { HttpClient } from '../../helpers/httpClient.js';
import { TEST_PASSWORD, bilateralCallInput, createUser, signIn } from '../../helpers/fixtures.js';
import { startTestGodo } from '../../helpers/godo.js';
import { OPERATOR, createProposal, setUpCall, type CallSetup } from './setup.js';

let godo: RunningGodo;
let s: CallSetup;

beforeAll(async () => {
  godo = await startTestGodo();
  s = await setUpCall(godo);
});
afterAll(async () => {
  await godo?.close();
});

let counter = 0;
/** Invites a fresh e-mail address as the setup's admin; returns the token and the address. */
async function invite(body: Record<string, unknown> = {}) {
  const email = `invitee${++counter}@example.net`;
  const res = await s.admin.client.post(`/api/calls/${s.callId}/invitations`, { email, role: 'reviewer', agency: 'ANR', language: 'en', ...body });
  expect(res.status).toBe(201);
  const token = (res.body.link as string).replace('/invite/', '');
  return { token, email: (body.email as string | undefined) ?? email, body: res.body };
}

const newAccount = { name: 'Camille Petit', password: 'a long enough password', language: 'en', timeZone: 'Europe/Paris' };

describe('POST /api/calls/:callId/invitations', () => {
  it('returns a one-time accept link and stores only the token hash', async () => {
    const { token, body, email } = await invite();
    expect(body.link).toMatch(/^\/invite\/[A-Za-z0-9_-]{43}$/);
    expect(body.invitation).toMatchObject({ email, role: 'reviewer', agency: 'ANR', usedAt: null });
    const stored = await godo.models.Invitation.findOne({ email }).lean();
    expect(stored?.tokenHash).toBe(createHash('sha256').update(token).digest('base64url'));
    expect(JSON.stringify(stored)).not.toContain(token);
    const audit = await godo.models.Audit.findOne({ callId: s.callId, action: 'invitation.created', 'after.email': email }).lean();
    expect(audit).not.toBeNull();
    expect(JSON.stringify(audit)).not.toContain(token);
  });

  it('checks role against agency, and the agency against the call', async () => {
    const url = `/api/calls/${s.callId}/invitations`;
    const noSide = await s.admin.client.post(url, { email: 'x@example.net', role: 'reviewer', language: 'en' });
    expect(noSide.status).toBe(400);
    expect(noSide.body.error.fields).toHaveProperty('agency');
    const foreign = await s.admin.client.post(url, { email: 'x@example.net', role: 'reviewer', agency: 'DFG', language: 'en' });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.fields.agency).toMatch(/JST, ANR/);
    const operator = await s.admin.client.post(url, { email: OPERATOR, role: 'reviewer', agency: 'ANR', language: 'en' });
    expect(operator.status).toBe(400);
    expect(operator.body.error.fields).toHaveProperty('email');
    const member = await s.admin.client.post(url, { email: s.reviewer.email, role: 'reviewer', agency: 'JST', language: 'en' });
    expect(member.status).toBe(409);
    expect(member.body.error.code).toBe('already_member');
  });

  it('is for call administrators, PD and PO only; only administrators invite administrators', async () => {
    const url = `/api/calls/${s.callId}/invitations`;
    const body = { email: 'new@example.net', role: 'observer', language: 'ja' };
    expect((await s.po.client.post(url, body)).status).toBe(201);
    expect((await s.po.client.post(url, { ...body, role: 'admin' })).status).toBe(403);
    expect((await s.officer.client.post(url, body)).status).toBe(403);
    expect((await s.reviewer.client.post(url, body)).status).toBe(403);
    expect((await s.observer.client.post(url, body)).status).toBe(403);
    expect((await s.outsider.client.post(url, body)).status).toBe(404);
    expect((await new HttpClient(godo.url).post(url, body)).status).toBe(401);
  });
});

describe('GET /api/invitations/:token', () => {
  it('shows the call title, role, e-mail and expiry to anyone holding the token', async () => {
    const { token, email } = await invite();
    const res = await new HttpClient(godo.url).get(`/api/invitations/${token}`);
    expect(res.status).toBe(200);
    expect(res.body.invitation).toMatchObject({
      email,
      role: 'reviewer',
      agency: 'ANR',
      call: { id: s.callId, title: { en: 'Joint call on AI for materials' } },
      accountExists: false,
    });
    expect(Date.parse(res.body.invitation.expiresAt)).toBeGreaterThan(Date.now());
  });

  it('is 404 for an unknown, malformed or expired token', async () => {
    const anonymous = new HttpClient(godo.url);
    expect((await anonymous.get(`/api/invitations/${'a'.repeat(43)}`)).status).toBe(404);
    expect((await anonymous.get('/api/invitations/short')).status).toBe(404);
    const { token, email } = await invite();
    await godo.models.Invitation.updateOne({ email }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await anonymous.get(`/api/invitations/${token}`)).status).toBe(404);
    expect((await anonymous.post(`/api/invitations/${token}/accept`, newAccount)).status).toBe(404);
  });
});

describe('POST /api/invitations/:token/accept', () => {
  it('creates the account, adds the membership, signs in and uses up the invitation', async () => {
    const { token, email } = await invite();
    const browser = new HttpClient(godo.url);
    const res = await browser.post(`/api/invitations/${token}/accept`, { ...newAccount, institution: 'CNRS' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ callId: s.callId, user: { email, name: 'Camille Petit', institution: 'CNRS', timeZone: 'Europe/Paris' } });
    const me = await browser.get('/api/me');
    expect(me.status).toBe(200);
    expect(me.body.user.email).toBe(email);
    const call = await browser.get(`/api/calls/${s.callId}`);
    expect(call.body.call.me).toMatchObject({ role: 'reviewer', agency: 'ANR' });
    expect((await browser.post(`/api/invitations/${token}/accept`, newAccount)).status).toBe(404);
    expect((await browser.get(`/api/invitations/${token}`)).status).toBe(404);
    expect((await signIn(godo, email, newAccount.password)).cookieHeader()).toContain('godo_session');
    expect(await godo.models.Audit.countDocuments({ callId: s.callId, action: 'invitation.accepted', 'after.email': email })).toBe(1);
  });

  it('lets exactly one of two concurrent accepts win', async () => {
    const { token, email } = await invite();
    const [a, b] = await Promise.all([
      new HttpClient(godo.url).post(`/api/invitations/${token}/accept`, newAccount),
      new HttpClient(godo.url).post(`/api/invitations/${token}/accept`, { ...newAccount, name: 'Someone Else' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 404]);
    expect(await godo.models.User.countDocuments({ email })).toBe(1);
    const user = await godo.models.User.findOne({ email }).lean();
    expect(await godo.models.Membership.countDocuments({ callId: s.callId, userId: user?._id })).toBe(1);
  });

  it('requires a name and a long enough password for a new account', async () => {
    const { token } = await invite();
    const anonymous = new HttpClient(godo.url);
    const short = await anonymous.post(`/api/invitations/${token}/accept`, { ...newAccount, password: 'short' });
    expect(short.status).toBe(400);
    expect(short.body.error.fields).toHaveProperty('password');
    const missing = await anonymous.post(`/api/invitations/${token}/accept`, {});
    expect(missing.status).toBe(400);
    expect(Object.keys(missing.body.error.fields).sort()).toEqual(['name', 'password']);
    const operator = await anonymous.post(`/api/invitations/${token}/accept`, { ...newAccount, name: OPERATOR });
    expect(operator.body.error.fields).toHaveProperty('name');
    const unknown = await anonymous.post(`/api/invitations/${token}/accept`, { ...newAccount, isAdmin: true });
    expect(unknown.status).toBe(400);
    const zone = await anonymous.post(`/api/invitations/${token}/accept`, { ...newAccount, timeZone: 'Mars/Olympus' });
    expect(zone.body.error.fields).toHaveProperty('timeZone');
    // None of the refusals used the invitation up.
    expect((await anonymous.post(`/api/invitations/${token}/accept`, newAccount)).status).toBe(200);
  });

  it('attaches the role to an existing account only when signed in as it', async () => {
    const existing = await createUser(godo, { email: 'existing@example.net', name: 'Existing Person' });
    const { token } = await invite({ email: existing.email, role: 'observer', agency: undefined });
    const preview = await new HttpClient(godo.url).get(`/api/invitations/${token}`);
    expect(preview.body.invitation.accountExists).toBe(true);
    const anonymous = await new HttpClient(godo.url).post(`/api/invitations/${token}/accept`, newAccount);
    expect(anonymous.status).toBe(401);
    expect((await s.outsider.client.post(`/api/invitations/${token}/accept`, {})).status).toBe(403);
    const client = await signIn(godo, existing.email);
    const res = await client.post(`/api/invitations/${token}/accept`, {});
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ id: existing.id, name: 'Existing Person' });
    expect(await godo.models.User.countDocuments({ email: existing.email })).toBe(1);
    expect((await client.get(`/api/calls/${s.callId}`)).body.call.me.role).toBe('observer');
    // The password did not change.
    expect((await signIn(godo, existing.email, TEST_PASSWORD)).cookieHeader()).toContain('godo_session');
  });

  it('proposes conflicts for an invited reviewer who shares an institution with a PI', async () => {
    const proposalId = await createProposal(s.admin.client, s.callId);
    const { token } = await invite({ email: 'hanako@u-tokyo.ac.jp', role: 'reviewer', agency: 'JST' });
    const browser = new HttpClient(godo.url);
    expect((await browser.post(`/api/invitations/${token}/accept`, { ...newAccount, institution: 'University of Tokyo' })).status).toBe(200);
    expect((await browser.get(`/api/proposals/${proposalId}`)).status).toBe(404);
    const conflicts = await browser.get(`/api/calls/${s.callId}/conflicts`);
    expect(conflicts.body.conflicts).toEqual([
      expect.objectContaining({ proposalId, status: 'proposed', source: 'automatic', type: 'institutional' }),
    ]);
  });
});

describe('the invitation log line (there is no mail server)', () => {
  it('logs the accept link with pino for the admin to pass on', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    const config = loadConfig({ NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', GODO_DB_WORKER: 'false', GODO_SEED_DEMO: 'false' });
    const logged = await startGodo(config, { inMemoryDb: true, logger });
    try {
      const admin = await createUser(logged, { email: 'admin@jst.go.jp', isAdmin: true });
      const client = await signIn(logged, admin.email);
      const call = await client.post('/api/calls', bilateralCallInput());
      const res = await client.post(`/api/calls/${call.body.call.id}/invitations`, { email: 'logged@example.net', role: 'observer', language: 'ja' });
      expect(res.status).toBe(201);
      const entry = lines.map((line) => JSON.parse(line)).find((e) => e.msg === 'invitation created');
      expect(entry).toMatchObject({ email: 'logged@example.net', role: 'observer', link: res.body.link });
    } finally {
      await logged.close();
    }
  });
});
