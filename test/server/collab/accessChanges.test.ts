import { describe, expect, it } from 'vitest';
import { COLLAB_CLOSE_CODES, parseCollabDocName } from '../../../shared/collab.js';
import { announceAccessChange } from '../../../server/commands/access/accessChanges.js';
import { accessChangeConcerns, type ResolveAccess } from '../../../server/collab/access.js';
import { reportSuite } from './support/reportSuite.js';
import { connectClient, synced, within, type TestClient } from './support/clients.js';
import { createReportFixture, type ReportFixture } from './support/godoHarness.js';
import { newDocName, startFakeCollab } from './support/fakeServer.js';

// Access changes made through the API reach live report connections at once, not at the timed
// re-check (every 60 s here, far beyond `within`'s 15 s): the commands announce them.

const suite = reportSuite();

function closeCodes(c: TestClient): number[] {
  const codes: number[] = [];
  c.provider.on('connection-close', (event: { code: number } | null) => {
    if (event) codes.push(event.code);
  });
  return codes;
}

async function api(path: string, cookie: string, body: unknown): Promise<Response> {
  return fetch(`${suite.godo.url}/api${path}`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** The code of the client's next connection close (the provider reconnects after a 45xx). */
function nextClose(c: TestClient): Promise<number> {
  return within(new Promise<number>((resolve) => c.provider.once('connection-close', (event: { code: number } | null) => resolve(event?.code ?? -1))), 'a close');
}

describe('access changes reach live report connections at once', () => {
  it('a conflict the reviewer declares closes their report (4404, as if it did not exist)', async () => {
    const fixture = await createReportFixture(suite.godo);
    const reviewer = suite.client(fixture, fixture.cookies.reviewer);
    const po = suite.client(fixture, fixture.cookies.po);
    await Promise.all([synced(reviewer), synced(po)]);
    const poCloses = closeCodes(po);
    const closed = new Promise<number>((resolve) => reviewer.provider.once('closed', (event: { code: number }) => resolve(event.code)));
    const response = await api('/conflicts', fixture.cookies.reviewer, { proposalId: fixture.proposalId, type: 'personal' });
    expect(response.status).toBe(201);
    expect(await within(closed, 'the reviewer closed')).toBe(COLLAB_CLOSE_CODES.notFound);
    // The PO's access did not change: their connection stays.
    expect(poCloses).toEqual([]);
    expect(po.provider.wsconnected).toBe(true);
  });

  it('reopening review turns a panel writer read-only: closed with accessChanged, back read-only', async () => {
    const fixture = await createReportFixture(suite.godo);
    const reviewer = suite.client(fixture, fixture.cookies.reviewer);
    await synced(reviewer);
    expect(suite.godo.collab.stats().readOnlyConnections).toBe(0);
    const closed = nextClose(reviewer);
    const proposal = await suite.godo.models.Proposal.findById(fixture.proposalId).lean();
    const call = await suite.godo.models.Call.findById(proposal!.callId).lean();
    const response = await api(`/calls/${String(call!._id)}/phase`, fixture.cookies.po, { to: 'review', reason: 'scores need another look', version: call!.version ?? 0 });
    expect(response.status).toBe(200);
    expect(await closed).toBe(COLLAB_CLOSE_CODES.accessChanged);
    // Synced again means the server accepted the new connection, with the access read after the change.
    await synced(reviewer);
    expect(suite.godo.collab.stats().readOnlyConnections).toBe(1);
  });

  it('an announcement names the connections it concerns: the call, and the proposal and person when given', () => {
    const grant = { docName: 'report:p', proposalId: 'p', callId: 'c', user: { id: 'u', name: 'U' }, readOnly: false };
    expect(accessChangeConcerns({ callId: 'c' }, grant)).toBe(true);
    expect(accessChangeConcerns({ callId: 'c', proposalId: 'p', userId: 'u' }, grant)).toBe(true);
    expect(accessChangeConcerns({ callId: 'other' }, grant)).toBe(false);
    expect(accessChangeConcerns({ callId: 'c', proposalId: 'other' }, grant)).toBe(false);
    expect(accessChangeConcerns({ callId: 'c', userId: 'other' }, grant)).toBe(false);
  });

  it('an announcement relayed from another process re-checks the connections it names', async () => {
    const fixture = await createReportFixture(suite.godo);
    const reviewer = suite.client(fixture, fixture.cookies.reviewer);
    await synced(reviewer);
    const proposal = await suite.godo.models.Proposal.findById(fixture.proposalId).lean();
    const reviewerUser = await suite.godo.models.Membership.findOne({ callId: proposal!.callId, role: 'reviewer', agency: 'JST' }).lean();
    // Written by another process: this one only hears the relayed announcement.
    await suite.godo.models.Conflict.create({ callId: proposal!.callId, proposalId: proposal!._id, userId: reviewerUser!.userId, type: 'personal', status: 'confirmed', source: 'declared' });
    const closed = new Promise<number>((resolve) => reviewer.provider.once('closed', (event: { code: number }) => resolve(event.code)));
    announceAccessChange({ callId: String(proposal!.callId), proposalId: fixture.proposalId, userId: String(reviewerUser!.userId), remote: true });
    expect(await within(closed, 'closed')).toBe(COLLAB_CLOSE_CODES.notFound);
  });

  it('a connection whose access was read while a change landed is checked again once accepted', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const checkStarted = new Promise<void>((resolve) => (started = resolve));
    let checks = 0;
    // The first check reads writable access and is held until a change has been announced; every
    // later check reads the access after that change (read-only).
    const resolveAccess: ResolveAccess = async (_headers, docName) => {
      checks += 1;
      const first = checks === 1;
      if (first) {
        started();
        await held;
      }
      const grant = { docName, proposalId: parseCollabDocName(docName)!.proposalId, callId: 'held-call', user: { id: 'u1', name: 'U' }, readOnly: !first };
      return { ok: true, grant };
    };
    const fake = await startFakeCollab({ resolveAccess });
    const c = connectClient(fake.url, newDocName(), fake.editor);
    try {
      const closed = nextClose(c);
      await within(checkStarted, 'the access check to start');
      announceAccessChange({ callId: 'held-call' });
      release();
      expect(await closed).toBe(COLLAB_CLOSE_CODES.accessChanged);
      expect(checks).toBeGreaterThanOrEqual(2);
    } finally {
      c.destroy();
      await fake.close();
    }
  });
});
