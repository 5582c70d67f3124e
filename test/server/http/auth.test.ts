import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGodo } from '../../../server/index.js';
import { startTestGodo } from '../../helpers/godo.js';
import { HttpClient } from '../../helpers/httpClient.js';
import { createUser, signIn, TEST_PASSWORD } from '../../helpers/fixtures.js';

let godo: RunningGodo;

beforeAll(async () => {
  godo = await startTestGodo();
  await createUser(godo, { email: 'alice@example.org', name: 'Alice' });
});
afterAll(async () => {
  await godo?.close();
});

describe('health', () => {
  it('reports the database state', async () => {
    const res = await new HttpClient(godo.url).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, database: { state: 'connected' } });
  });
});

describe('sign-in', () => {
  it('sets an httpOnly SameSite=Lax session cookie and shows the person at /api/me', async () => {
    const client = new HttpClient(godo.url);
    const res = await client.post('/api/auth/login', { email: 'Alice@Example.org', password: TEST_PASSWORD });
    expect(res.status).toBe(200);
    const cookie = res.headers.getSetCookie().join('\n');
    expect(cookie).toMatch(/godo_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const me = await client.get('/api/me');
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ email: 'alice@example.org', name: 'Alice' });
    expect(me.body.user.passwordHash).toBeUndefined();
  });

  it('refuses a wrong password with 401 and an anonymous /api/me with 401', async () => {
    const client = new HttpClient(godo.url);
    const res = await client.post('/api/auth/login', { email: 'alice@example.org', password: 'wrong password' });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('invalid_credentials');
    expect((await client.get('/api/me')).status).toBe(401);
  });

  it('treats operator objects in place of strings as a 400, never as a query', async () => {
    const client = new HttpClient(godo.url);
    const res = await client.post('/api/auth/login', { email: { $gt: '' }, password: { $gt: '' } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(Object.keys(res.body.error.fields)).toEqual(expect.arrayContaining(['email', 'password']));
  });

  it('rotates the session on login and revokes it on logout', async () => {
    const client = await signIn(godo, 'alice@example.org');
    const first = client.cookieHeader();
    await client.post('/api/auth/login', { email: 'alice@example.org', password: TEST_PASSWORD });
    const second = client.cookieHeader();
    expect(second).not.toBe(first);
    const stale = await fetch(`${godo.url}/api/me`, { headers: { cookie: first } });
    expect(stale.status).toBe(401);
    expect((await client.post('/api/auth/logout')).status).toBe(204);
    const after = await fetch(`${godo.url}/api/me`, { headers: { cookie: second } });
    expect(after.status).toBe(401);
  });

  it('rate-limits repeated failures on one account with 429', async () => {
    await createUser(godo, { email: 'target@example.org' });
    const client = new HttpClient(godo.url);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      statuses.push((await client.post('/api/auth/login', { email: 'target@example.org', password: 'guess' + i })).status);
    }
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
    // Even the right password is refused while the account is locked out.
    expect((await client.post('/api/auth/login', { email: 'target@example.org', password: TEST_PASSWORD })).status).toBe(429);
  });
});

describe('request hygiene', () => {
  it('answers 413 for an oversized body and 400 for broken JSON', async () => {
    const client = new HttpClient(godo.url);
    const big = await client.request('POST', '/api/auth/login', JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(2_000_000) }));
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('payload_too_large');
    const broken = await client.request('POST', '/api/auth/login', '{"email":', { 'content-type': 'application/json' });
    expect(broken.status).toBe(400);
  });

  it('refuses cross-site state changes and non-JSON bodies', async () => {
    const client = await signIn(godo, 'alice@example.org');
    const crossSite = await client.request('POST', '/api/auth/logout', {}, { origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
    const form = await client.request('POST', '/api/auth/logout', 'a=b', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
    expect((await client.get('/api/me')).status).toBe(200);
  });

  it('sends security headers with a CSP', async () => {
    const res = await new HttpClient(godo.url).get('/healthz');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers unknown API routes with a JSON 404', async () => {
    const res = await new HttpClient(godo.url).get('/api/nope');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });
});
