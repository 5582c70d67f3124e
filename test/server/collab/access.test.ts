import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Types } from 'mongoose';
import { COLLAB_CLOSE_CODES, reportDocName } from '../../../shared/collab.js';
import { loadSignedContent } from '../../../server/commands/decisions/signedContent.js';
import { bytesOf } from '../../../server/collab/mongoPersistence.js';
import { reportSuite } from './support/reportSuite.js';
import { docSatisfies, flushedThroughServer, rawSocket, synced, within } from './support/clients.js';
import { createReportFixture, type ReportFixture } from './support/godoHarness.js';

// Who may connect to a report, and who may write: the session cookie and the policies decide,
// through the collaboration server that startGodo wires (nothing replaced here).

const suite = reportSuite();

async function refusal(docName: string, cookie: string | undefined): Promise<number> {
  const socket = await rawSocket(suite.godo.url, docName, cookie);
  const { code } = await socket.closed;
  expect(socket.frames).toEqual([]);
  return code;
}

async function finalise(proposalId: string): Promise<void> {
  const id = new Types.ObjectId(proposalId);
  const proposal = await suite.godo.models.Proposal.findById(id).lean();
  await suite.godo.models.Decision.create({ callId: proposal!.callId, proposalId: id, kind: 'fund' });
  const { hash } = await loadSignedContent(suite.godo.models, id);
  const signOffs = ['JST', 'ANR'].map((agency) => ({ agency, personId: new Types.ObjectId(), role: 'po', contentHash: hash, signedAt: new Date() }));
  await suite.godo.models.Decision.updateOne({ proposalId: id }, { $set: { signOffs } });
}

describe('connecting', () => {
  it('refuses people without a session (4401)', async () => {
    const fixture = await createReportFixture(suite.godo);
    expect(await refusal(fixture.docName, undefined)).toBe(COLLAB_CLOSE_CODES.unauthenticated);
    expect(await refusal(fixture.docName, 'godo_session=forged')).toBe(COLLAB_CLOSE_CODES.unauthenticated);
  });

  it('refuses non-members, conflicted people and unknown proposals alike (4404)', async () => {
    const fixture = await createReportFixture(suite.godo);
    expect(await refusal(fixture.docName, fixture.cookies.outsider)).toBe(COLLAB_CLOSE_CODES.notFound);
    expect(await refusal(fixture.docName, fixture.cookies.conflicted)).toBe(COLLAB_CLOSE_CODES.notFound);
    expect(await refusal(reportDocName(String(new Types.ObjectId())), fixture.cookies.reviewer)).toBe(COLLAB_CLOSE_CODES.notFound);
    expect(await refusal('report:not-an-id', fixture.cookies.reviewer)).toBe(COLLAB_CLOSE_CODES.notFound);
  });

  it('lets a reviewer and a PO edit together', async () => {
    const fixture = await createReportFixture(suite.godo);
    const reviewer = suite.client(fixture, fixture.cookies.reviewer);
    const po = suite.client(fixture, fixture.cookies.po);
    await Promise.all([synced(reviewer), synced(po)]);
    reviewer.doc.getText('t').insert(0, 'draft by the rapporteur');
    await docSatisfies(po.doc, () => po.doc.getText('t').toString() === 'draft by the rapporteur', 'PO sees the draft');
    expect(suite.godo.collab.stats()).toMatchObject({ readOnlyConnections: 0 });
  });
});

describe('read-only connections', () => {
  it("an observer reads and is seen, but their edit reaches neither the others nor the database", async () => {
    const fixture = await createReportFixture(suite.godo);
    const reviewer = suite.client(fixture, fixture.cookies.reviewer);
    const observer = suite.client(fixture, fixture.cookies.observer);
    await Promise.all([synced(reviewer), synced(observer)]);
    reviewer.doc.getText('t').insert(0, 'reviewer text');
    await docSatisfies(observer.doc, () => observer.doc.getText('t').toString() === 'reviewer text', 'observer reads');
    observer.doc.getText('t').insert(0, 'OBSERVER ');
    await flushedThroughServer(observer, reviewer, 1);
    expect(reviewer.doc.getText('t').toString()).toBe('reviewer text');
    // Unloading stores everything the server accepted; the database must not hold the observer's edit.
    const unloaded = new Promise((resolve) => suite.godo.collab.registry.once('unloaded', resolve));
    reviewer.provider.disconnect();
    observer.provider.disconnect();
    await within(unloaded, 'unload');
    const rows = await suite.godo.models.ReportUpdate.find({ docName: fixture.docName }).lean();
    const stored = new Y.Doc();
    for (const row of rows) for (const update of row.updates) Y.applyUpdate(stored, bytesOf(update));
    expect(stored.getText('t').toString()).toBe('reviewer text');
  });

  it('everyone is read-only once every agency has signed off the decision', async () => {
    const fixture = await createReportFixture(suite.godo);
    await finalise(fixture.proposalId);
    const po = suite.client(fixture, fixture.cookies.po);
    const reviewer = suite.client(fixture, fixture.cookies.reviewer);
    await Promise.all([synced(po), synced(reviewer)]);
    expect(suite.godo.collab.stats().readOnlyConnections).toBe(2);
    po.doc.getText('t').insert(0, 'too late');
    await flushedThroughServer(po, reviewer, 7);
    expect(reviewer.doc.getText('t').toString()).toBe('');
  });

  it('a live connection turns read-only after the final sign-off, and is closed when a conflict is declared', async () => {
    const fixture = await createReportFixture(suite.godo);
    const reviewer = suite.client(fixture, fixture.cookies.reviewer);
    const po = suite.client(fixture, fixture.cookies.po);
    await Promise.all([synced(reviewer), synced(po)]);
    await finalise(fixture.proposalId);
    await suite.godo.collab.revalidate();
    reviewer.doc.getText('t').insert(0, 'after sign-off');
    await flushedThroughServer(reviewer, po, 3);
    expect(po.doc.getText('t').toString()).toBe('');

    const proposal = await suite.godo.models.Proposal.findById(fixture.proposalId).lean();
    const reviewerUser = await suite.godo.models.Membership.findOne({ callId: proposal!.callId, role: 'reviewer', agency: 'JST' }).lean();
    await suite.godo.models.Conflict.create({ callId: proposal!.callId, proposalId: proposal!._id, userId: reviewerUser!.userId, type: 'personal', status: 'confirmed', source: 'declared' });
    const closed = new Promise<number>((resolve) => reviewer.provider.once('closed', (event: { code: number }) => resolve(event.code)));
    await suite.godo.collab.revalidate();
    expect(await within(closed, 'closed')).toBe(COLLAB_CLOSE_CODES.notFound);
  });
});
