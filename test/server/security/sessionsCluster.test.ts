import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedServer } from '../../../server/db/embedded/server.js';
import type { RunningGodo } from '../../../server/index.js';
import { COLLAB_CLOSE_CODES } from '../../../shared/collab.js';
import { signIn, TEST_PASSWORD } from '../../helpers/fixtures.js';
import { connectClient, providerClosed, synced, within, type TestClient } from '../collab/support/clients.js';
import { createReportFixture } from '../collab/support/godoHarness.js';
import { connectPeer, type Peer } from '../realtime/peer.js';
import { adaptersMeet, redisUnavailable, startNode, startRedis, startSharedDb, type TestRedis } from '../scale/support/cluster.js';

/*
 * A password change on process A closes, at once, the person's other sessions' sockets and editors
 * on process B: the revocation crosses processes as the `godo:sessionRevoked` server-side event of
 * the Socket.IO Redis adapter, and B re-checks its own connections against MongoDB. (Nothing here
 * sends an event on the revoked socket, and the editors' timed re-check is a minute away: only the
 * signal can close them within the test's deadline.)
 */

const skipReason = redisUnavailable();
if (skipReason) console.warn(`[session cluster tests skipped] ${skipReason}`);

describe.skipIf(skipReason !== null)('revocation across processes', () => {
  let redis: TestRedis;
  let shared: { db: EmbeddedServer; uri: string };
  let a: RunningGodo;
  let b: RunningGodo;
  const peers: Peer[] = [];
  const editors: TestClient[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    shared = await startSharedDb();
    a = await startNode(shared.uri, redis.url, 'rev-a');
    b = await startNode(shared.uri, redis.url, 'rev-b');
    await adaptersMeet([a, b]);
  }, 60_000);
  afterAll(async () => {
    for (const peer of peers) peer.close();
    for (const editor of editors) editor.destroy();
    await Promise.all([a?.close(), b?.close()]);
    await shared?.db.close();
    await redis?.stop();
  });

  it('a password change on A disconnects the other session’s socket and editor on B, and keeps this one’s', async () => {
    const fixture = await createReportFixture(a);
    const membership = await a.models.Membership.findOne({ role: 'po' }).sort({ _id: -1 }).lean();
    const po = await a.models.User.findById(membership!.userId).lean();
    const laptop = fixture.cookies.po;
    const phone = (await signIn(a, po!.email)).cookieHeader();
    const phoneSocket = await connectPeer(b, phone);
    const laptopSocket = await connectPeer(b, laptop);
    peers.push(phoneSocket, laptopSocket);
    const phoneEditor = connectClient(b.url, fixture.docName, phone);
    const laptopEditor = connectClient(b.url, fixture.docName, laptop);
    editors.push(phoneEditor, laptopEditor);
    await Promise.all([synced(phoneEditor), synced(laptopEditor)]);
    const socketGone = within(new Promise((resolve) => phoneSocket.socket.once('disconnect', resolve)), 'phone socket on B disconnected');
    const editorClosed = providerClosed(phoneEditor);

    const res = await fetch(`${a.url}/api/me/password`, {
      method: 'POST',
      headers: { cookie: laptop, 'content-type': 'application/json' },
      body: JSON.stringify({ currentPassword: TEST_PASSWORD, newPassword: 'another long passphrase' }),
    });
    expect(res.status).toBe(204);
    await socketGone;
    expect((await editorClosed).code).toBe(COLLAB_CLOSE_CODES.unauthenticated);
    expect(laptopSocket.socket.connected).toBe(true);
    expect((await laptopSocket.request('comment:subscribe', { proposalId: fixture.proposalId })).ok).toBe(true);
    expect(laptopEditor.provider.wsconnected).toBe(true);
  });
});
