import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGodo } from '../../../server/index.js';
import { HttpClient } from '../../helpers/httpClient.js';
import { TEST_PASSWORD, createUser, signIn } from '../../helpers/fixtures.js';
import { startTestGodo } from '../../helpers/godo.js';
import { OPERATOR } from './setup.js';

let godo: RunningGodo;

beforeAll(async () => {
  godo = await startTestGodo();
});
afterAll(async () => {
  await godo?.close();
});

describe('PATCH /api/me', () => {
  it('updates name, institution, language and zone', async () => {
    await createUser(godo, { email: 'profile@example.org' });
    const client = await signIn(godo, 'profile@example.org');
    const res = await client.patch('/api/me', { name: '山田 花子', institution: 'Osaka University', language: 'ja', timeZone: 'Asia/Tokyo' });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ name: '山田 花子', institution: 'Osaka University', language: 'ja', timeZone: 'Asia/Tokyo' });
    expect((await client.get('/api/me')).body.user).toMatchObject({ name: '山田 花子', institution: 'Osaka University', language: 'ja' });
  });

  it('refuses bad fields, e-mail changes and anonymous callers', async () => {
    await createUser(godo, { email: 'strict@example.org' });
    const client = await signIn(godo, 'strict@example.org');
    const zone = await client.patch('/api/me', { timeZone: '+09:00' });
    expect(zone.status).toBe(400);
    expect(zone.body.error.fields).toHaveProperty('timeZone');
    expect((await client.patch('/api/me', { email: 'other@example.org' })).status).toBe(400);
    expect((await client.patch('/api/me', { isAdmin: true })).status).toBe(400);
    expect((await client.patch('/api/me', { name: OPERATOR })).body.error.fields).toHaveProperty('name');
    expect((await client.patch('/api/me', { name: 'x'.repeat(5000) })).body.error.fields).toHaveProperty('name');
    expect((await new HttpClient(godo.url).patch('/api/me', { name: 'Anon' })).status).toBe(401);
  });
});

describe('GET /api/me', () => {
  it('includes the institution, null until one is given', async () => {
    await createUser(godo, { email: 'no-institution@example.org' });
    const client = await signIn(godo, 'no-institution@example.org');
    const before = (await client.get('/api/me')).body.user;
    expect(before.institution).toBeNull();
    await client.patch('/api/me', { institution: 'Kyoto University' });
    expect((await client.get('/api/me')).body.user.institution).toBe('Kyoto University');
  });
});

describe('POST /api/me/password', () => {
  it('changes the password, keeps this browser signed in and revokes every other session', async () => {
    await createUser(godo, { email: 'rotate@example.org' });
    const laptop = await signIn(godo, 'rotate@example.org');
    const phone = await signIn(godo, 'rotate@example.org');
    const res = await laptop.post('/api/me/password', { currentPassword: TEST_PASSWORD, newPassword: 'a brand new passphrase' });
    expect(res.status).toBe(204);
    expect((await laptop.get('/api/me')).status).toBe(200);
    expect((await phone.get('/api/me')).status).toBe(401);
    const oldPassword = await new HttpClient(godo.url).post('/api/auth/login', { email: 'rotate@example.org', password: TEST_PASSWORD });
    expect(oldPassword.status).toBe(401);
    expect((await signIn(godo, 'rotate@example.org', 'a brand new passphrase')).cookieHeader()).toContain('godo_session');
  });

  it('refuses a wrong current password or a short new one, changing nothing', async () => {
    await createUser(godo, { email: 'keep@example.org' });
    const client = await signIn(godo, 'keep@example.org');
    const wrong = await client.post('/api/me/password', { currentPassword: 'not my password', newPassword: 'a brand new passphrase' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.fields).toHaveProperty('currentPassword');
    const short = await client.post('/api/me/password', { currentPassword: TEST_PASSWORD, newPassword: 'short' });
    expect(short.status).toBe(400);
    expect(short.body.error.fields).toHaveProperty('newPassword');
    const operator = await client.post('/api/me/password', { currentPassword: OPERATOR, newPassword: 'a brand new passphrase' });
    expect(operator.body.error.fields).toHaveProperty('currentPassword');
    expect((await client.get('/api/me')).status).toBe(200);
    expect((await signIn(godo, 'keep@example.org', TEST_PASSWORD)).cookieHeader()).toContain('godo_session');
    expect((await new HttpClient(godo.url).post('/api/me/password', { currentPassword: 'x', newPassword: 'a brand new passphrase' })).status).toBe(401);
  });
});
