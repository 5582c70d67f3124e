import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { LOGIN_LIMITS } from '../../../server/commands/auth/login.js';
import type { RunningGodo } from '../../../server/index.js';
import { COLLAB_CLOSE_CODES } from '../../../shared/collab.js';
import { createUser, signIn, TEST_PASSWORD } from '../../helpers/fixtures.js';
import { startTestGodo } from '../../helpers/godo.js';
import { HttpClient } from '../../helpers/httpClient.js';
import { connectClient, docSatisfies, providerClosed, synced, within, type TestClient } from '../collab/support/clients.js';
import { createReportFixture } from '../collab/support/godoHarness.js';
import { connectPeer, type Peer } from '../realtime/peer.js';

// Brute force and session lifetime: login limits per account and per address, rotation on login,
// revocation on logout and on password change, reaching the person's live sockets and editors.

let godo: RunningGodo;
let now = new Date('2026-11-20T09:00:00Z');
const peers: Peer[] = [];
const editors: TestClient[] = [];

beforeAll(async () => {
  // A clock the test moves, so a rate-limit window can end without waiting 15 minutes.
  godo = await startTestGodo({ clock: () => now });
});
afterAll(async () => {
  await godo?.close();
});
afterEach(() => {
  for (const peer of peers.splice(0)) peer.close();
  for (const editor of editors.splice(0)) editor.destroy();
});

const login = (email: string, password: string, address: string) =>
  new HttpClient(godo.url).request('POST', '/api/auth/login', { email, password }, { 'x-forwarded-for': address });

async function peer(cookie: string): Promise<Peer> {
  const p = await connectPeer(godo, cookie);
  peers.push(p);
  return p;
}

function editor(docName: string, cookie: string): TestClient {
  const e = connectClient(godo.url, docName, cookie);
  editors.push(e);
  return e;
}

const disconnected = (p: Peer) =>
  within(new Promise<string>((resolve) => (p.socket.connected ? p.socket.once('disconnect', resolve) : resolve('already'))), 'socket disconnect');

describe('login rate limits', () => {
  it('locks one account after 10 failures for every address, and lets it in again once the window ends', async () => {
    await createUser(godo, { email: 'brute-account@example.org' });
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await login('brute-account@example.org', `guess ${i}`, `198.51.100.${i}`)).status);
    expect(statuses).toEqual([...Array(10).fill(401), 429]);
    const locked = await login('brute-account@example.org', TEST_PASSWORD, '198.51.100.200');
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('rate_limited');
    now = new Date(now.getTime() + 15 * 60_000 + 1);
    expect((await login('brute-account@example.org', TEST_PASSWORD, '198.51.100.200')).status).toBe(200);
  });

  it('refuses an address after its limit of attempts on any accounts, while other addresses still sign in', async () => {
    // 50 in production; each attempt costs an argon2 verification (about a second on this shared
    // machine), so the rule is exercised at 6 and the production figure asserted on its own.
    expect(LOGIN_LIMITS.perAddress).toEqual({ limit: 50, windowMs: 15 * 60_000 });
    const production = LOGIN_LIMITS.perAddress.limit;
    LOGIN_LIMITS.perAddress.limit = 6;
    onTestFinished(() => {
      LOGIN_LIMITS.perAddress.limit = production;
    });
    await createUser(godo, { email: 'victim@example.org' });
    const address = '203.0.113.7';
    const statuses: number[] = [];
    // A different account each time, so no per-account limit is what stops it.
    for (let i = 0; i < 7; i++) statuses.push((await login(`sprayed-${i}@example.org`, 'password1', address)).status);
    expect(statuses).toEqual([...Array(6).fill(401), 429]);
    expect((await login('victim@example.org', TEST_PASSWORD, address)).status).toBe(429);
    expect((await login('victim@example.org', TEST_PASSWORD, '203.0.113.8')).status).toBe(200);
    now = new Date(now.getTime() + 15 * 60_000 + 1);
    expect((await login('victim@example.org', TEST_PASSWORD, address)).status).toBe(200);
  });
});

describe('session rotation and sign-out', () => {
  it('signing in again replaces the session: the old cookie, and a socket opened with it, are dead', async () => {
    await createUser(godo, { email: 'rotate-socket@example.org' });
    const client = await signIn(godo, 'rotate-socket@example.org');
    const first = client.cookieHeader();
    const oldSocket = await peer(first);
    const gone = disconnected(oldSocket);
    expect((await client.post('/api/auth/login', { email: 'rotate-socket@example.org', password: TEST_PASSWORD })).status).toBe(200);
    expect(client.cookieHeader()).not.toBe(first);
    await gone;
    expect((await fetch(`${godo.url}/api/me`, { headers: { cookie: first } })).status).toBe(401);
    expect((await client.get('/api/me')).status).toBe(200);
  });

  it('signing out closes that session’s sockets and editors and nobody else’s', async () => {
    const fixture = await createReportFixture(godo);
    const other = await peer(fixture.cookies.po);
    const mine = await peer(fixture.cookies.reviewer);
    const myEditor = editor(fixture.docName, fixture.cookies.reviewer);
    const poEditor = editor(fixture.docName, fixture.cookies.po);
    await Promise.all([synced(myEditor), synced(poEditor)]);
    const closed = providerClosed(myEditor);
    const gone = disconnected(mine);
    const res = await fetch(`${godo.url}/api/auth/logout`, { method: 'POST', headers: { cookie: fixture.cookies.reviewer } });
    expect(res.status).toBe(204);
    await gone;
    expect((await closed).code).toBe(COLLAB_CLOSE_CODES.unauthenticated);
    expect(other.socket.connected).toBe(true);
    poEditor.doc.getText('t').insert(0, 'still editing');
    expect(poEditor.provider.wsconnected).toBe(true);
    expect((await other.request('comment:subscribe', { proposalId: fixture.proposalId })).ok).toBe(true);
  });
});

describe('password change', () => {
  it('keeps this browser (its socket and editor) and closes every other session, socket and editor of the person', async () => {
    const fixture = await createReportFixture(godo);
    const user = await godo.models.Membership.findOne({ role: 'po' }).sort({ _id: -1 }).lean();
    const po = await godo.models.User.findById(user!.userId).lean();
    const laptopCookie = fixture.cookies.po;
    const phone = await signIn(godo, po!.email);
    const laptopSocket = await peer(laptopCookie);
    const phoneSocket = await peer(phone.cookieHeader());
    const laptopEditor = editor(fixture.docName, laptopCookie);
    const phoneEditor = editor(fixture.docName, phone.cookieHeader());
    const reviewerEditor = editor(fixture.docName, fixture.cookies.reviewer);
    await Promise.all([synced(laptopEditor), synced(phoneEditor), synced(reviewerEditor)]);
    const phoneClosed = providerClosed(phoneEditor);
    const phoneGone = disconnected(phoneSocket);

    const res = await fetch(`${godo.url}/api/me/password`, {
      method: 'POST',
      headers: { cookie: laptopCookie, 'content-type': 'application/json' },
      body: JSON.stringify({ currentPassword: TEST_PASSWORD, newPassword: 'a much longer passphrase' }),
    });
    expect(res.status).toBe(204);
    await phoneGone;
    expect((await phoneClosed).code).toBe(COLLAB_CLOSE_CODES.unauthenticated);
    expect((await phone.get('/api/me')).status).toBe(401);

    // The laptop carries on with the same cookie: REST, its socket and its editor.
    expect((await fetch(`${godo.url}/api/me`, { headers: { cookie: laptopCookie } })).status).toBe(200);
    expect((await laptopSocket.request('comment:subscribe', { proposalId: fixture.proposalId })).ok).toBe(true);
    laptopEditor.doc.getText('t').insert(0, 'after the change');
    await docSatisfies(reviewerEditor.doc, () => reviewerEditor.doc.getText('t').toString() === 'after the change', 'laptop edit reaches the reviewer');
  });

  it('refuses the next event of a socket whose session was revoked behind the server’s back (as by another process)', async () => {
    await createUser(godo, { email: 'silent-revoke@example.org' });
    const client = await signIn(godo, 'silent-revoke@example.org');
    const socket = await peer(client.cookieHeader());
    // Straight in the database: no signal reaches this process, only the per-event re-check can notice.
    await godo.models.Session.deleteMany({});
    // A confirmed session is trusted for a few seconds (pushed revocations cover that window); past it, the next event re-checks.
    const before = now;
    now = new Date(now.getTime() + 6_000);
    onTestFinished(() => {
      now = before;
    });
    const gone = disconnected(socket);
    const answer = await new Promise<unknown>((resolve) => {
      socket.socket.emit('comment:subscribe', { proposalId: '0123456789abcdef01234567' }, resolve);
      socket.socket.once('disconnect', () => resolve('disconnected'));
    });
    await gone;
    expect(answer === 'disconnected' || (answer as { error?: { code?: string } }).error?.code === 'unauthenticated').toBe(true);
  });
});
