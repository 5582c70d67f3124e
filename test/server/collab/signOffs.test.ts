import mongoose from 'mongoose';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGodo } from '../../../server/index.js';
import { reportDocName } from '../../../shared/collab.js';
import { sectionFragment } from '../../../shared/collab/reportDoc.js';
import { announceAccessChange } from '../../../server/commands/access/accessChanges.js';
import { startTestGodo } from '../../helpers/godo.js';
import { advanceTo, assign, createCall, createMember, createProposal, eu, submitReview, type Member } from '../http/panelSetup.js';
import { connectClient, synced, within, type TestClient } from './support/clients.js';

let godo: RunningGodo;
/** Added to the server's clock: jumping it ahead expires what the sign-off probe remembered. */
let clockOffsetMs = 0;
beforeAll(async () => {
  godo = await startTestGodo({ clock: () => new Date(Date.now() + clockOffsetMs) });
});
afterAll(async () => {
  await godo?.close();
});

/** Resolves once `condition` holds, checking after every macrotask turn (bounded by `within`). */
function until(condition: () => boolean): Promise<void> {
  let waiting = true;
  return within(
    new Promise<void>((resolve) => {
      const check = () => {
        if (condition()) resolve();
        else if (waiting) setImmediate(check);
      };
      check();
    }),
    'condition',
  ).finally(() => (waiting = false));
}

/** Calls `counted` for every sign-off probe read of the proposal (until `mongoose.set('debug', false)`). */
function countProbes(proposalId: string, counted: () => void): void {
  mongoose.set('debug', (collection: string, method: string, query: Record<string, unknown>) => {
    if (collection === 'decisions' && method === 'find' && JSON.stringify(query).includes(proposalId)) counted();
  });
}

/** Types a paragraph into the report's English summary and waits until the server applied it. */
async function typeParagraph(editor: TestClient, docName: string, text: string): Promise<void> {
  const applied = serverEdited(docName);
  editor.doc.transact(() => {
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText(text)]);
    sectionFragment(editor.doc, 'summary', 'en').insert(0, [paragraph]);
  });
  await within(applied, 'edit reaches the server');
}

/** Waits until the server has applied an edit of `docName` (its registry emits `edited`). */
function serverEdited(docName: string): Promise<void> {
  return new Promise((resolve) => {
    const onEdited = (name: string) => {
      if (name !== docName) return;
      godo.collab.registry.off('edited', onEdited);
      resolve();
    };
    godo.collab.registry.on('edited', onEdited);
  });
}

describe('the consensus report is part of what agencies sign off', () => {
  /** Agencies whose sign-off of this proposal is stored and not voided. */
  const pendingSignOffs = async (): Promise<string[]> => {
    const decision = await godo.models.Decision.findOne({ proposalId }).lean();
    return (decision?.signOffs ?? []).filter((s) => !s.voidedAt).map((s) => s.agency);
  };
  let callId: string;
  let proposalId: string;
  let po: Member;
  let officer: Member;

  beforeAll(async () => {
    ({ callId } = await createCall(godo, 'rs'));
    let rapporteur: Member;
    let anr: Member;
    [po, officer, rapporteur, anr] = await Promise.all([
      createMember(godo, callId, 'rs-po', 'po', 'JST'),
      createMember(godo, callId, 'rs-officer', 'officer', 'ANR'),
      createMember(godo, callId, 'rs-rapporteur', 'reviewer', 'JST'),
      createMember(godo, callId, 'rs-anr', 'reviewer', 'ANR'),
    ]);
    proposalId = await createProposal(godo, callId);
    await assign(godo, callId, proposalId, rapporteur, true);
    await assign(godo, callId, proposalId, anr);
    await advanceTo(godo, po, callId, 'review');
    await submitReview(rapporteur, proposalId, eu(4, 4, 3.5));
    await submitReview(anr, proposalId, eu(3.5, 3, 3));
    await advanceTo(godo, po, callId, 'panel');
    expect((await po.client.put(`/api/proposals/${proposalId}/decision`, { kind: 'fund', version: 0 })).status).toBe(200);
    await advanceTo(godo, po, callId, 'finalization');
  });

  it('an edit of the report text after a sign-off voids it, with an audit entry', async () => {
    const decisionUrl = `/api/proposals/${proposalId}/decision`;
    const before = (await po.client.get(decisionUrl)).body.decision;
    expect((await officer.client.post(`/api/proposals/${proposalId}/signoffs`, { contentHash: before.contentHash })).status).toBe(201);

    const docName = reportDocName(proposalId);
    const editor = connectClient(godo.url, docName, po.client.cookieHeader());
    try {
      await within(synced(editor), 'editor sync');
      const applied = serverEdited(docName);
      editor.doc.transact(() => {
        const paragraph = new Y.XmlElement('paragraph');
        paragraph.insert(0, [new Y.XmlText('The panel now recommends a smaller budget.')]);
        sectionFragment(editor.doc, 'summary', 'en').insert(0, [paragraph]);
      });
      await within(applied, 'edit reaches the server');
      await godo.reportSignOffs.idle();
    } finally {
      editor.destroy();
    }

    const after = (await po.client.get(decisionUrl)).body.decision;
    expect(after.contentHash).not.toBe(before.contentHash);
    expect(Object.fromEntries(after.signOffs.map((s: { agency: string; status: string }) => [s.agency, s.status]))).toMatchObject({ ANR: 'voided' });
    const audit = (await po.client.get(`/api/calls/${callId}/audit?action=signoff.voided`)).body;
    expect(JSON.stringify(audit)).toContain('report.edited');
    // Signing the text as it was before the edit is refused: the signer must look again.
    const stale = await po.client.post(`/api/proposals/${proposalId}/signoffs`, { contentHash: before.contentHash });
    expect(stale.status).toBe(409);
  });

  it('steady typing re-checks sign-offs about once a second, and the last edits are always checked', async () => {
    const decisionUrl = `/api/proposals/${proposalId}/decision`;
    const docName = reportDocName(proposalId);
    const editor = connectClient(godo.url, docName, po.client.cookieHeader());
    const type = (text: string) => typeParagraph(editor, docName, text);
    // Counts the re-checks by their first database read (does the decision have a sign-off not voided?).
    let checks = 0;
    countProbes(proposalId, () => (checks += 1));
    try {
      await within(synced(editor), 'editor sync');
      await type('warm-up');
      await godo.reportSignOffs.idle();
      checks = 0;
      const started = performance.now();
      // Ten edits, each made once no check is running (as steady typing, a keystroke every 100 ms,
      // never overlaps a 2 ms check): coalescing only overlapping checks would run one per edit.
      for (let i = 0; i < 10; i++) {
        // Past the probe's memory of "no pending sign-off" (30 s): this test is about the throttle.
        clockOffsetMs += 31_000;
        await type(`keystroke ${i}`);
        await until(() => godo.reportSignOffs.stats().running === 0);
      }
      const typedMs = performance.now() - started;
      await godo.reportSignOffs.idle();
      const typingChecks = checks;
      // A sign-off of the text as it is now, then one more edit: the throttled check must still void it.
      const current = (await po.client.get(decisionUrl)).body.decision;
      expect((await officer.client.post(`/api/proposals/${proposalId}/signoffs`, { contentHash: current.contentHash })).status).toBe(201);
      await type('after the sign-off');
      await godo.reportSignOffs.idle();
      const after = (await po.client.get(decisionUrl)).body.decision;
      expect(after.signOffs.filter((s: { status: string }) => s.status === 'valid')).toEqual([]);
      // A check per keystroke would be 10; throttled: the leading one, one per second of typing, the trailing one.
      expect(typingChecks).toBeGreaterThanOrEqual(1);
      expect(typingChecks).toBeLessThanOrEqual(2 + Math.ceil(typedMs / 1_000));
      expect(typingChecks).toBeLessThan(10);
    } finally {
      mongoose.set('debug', false);
      editor.destroy();
    }
  });
  it('while no sign-off is pending, typing does not read the decision; a sign-off announced is checked at once', async () => {
    const decisionUrl = `/api/proposals/${proposalId}/decision`;
    const docName = reportDocName(proposalId);
    const editor = connectClient(godo.url, docName, po.client.cookieHeader());
    let probes = 0;
    countProbes(proposalId, () => (probes += 1));
    try {
      await within(synced(editor), 'editor sync');
      await typeParagraph(editor, docName, 'warm-up');
      await godo.reportSignOffs.idle();
      expect(await pendingSignOffs()).toEqual([]);
      probes = 0;
      for (let i = 0; i < 5; i++) {
        await typeParagraph(editor, docName, `remembered ${i}`);
        await godo.reportSignOffs.idle();
      }
      // The probe's "none" is remembered: five re-checks, no read.
      expect(probes).toBe(0);

      // A sign-off written without its announcement (as when the announcement from another process is
      // lost): an edit is then not checked against it, until the announcement arrives.
      const current = (await po.client.get(decisionUrl)).body.decision;
      await godo.models.Decision.updateOne(
        { proposalId },
        { $set: { signOffs: [{ agency: 'ANR', personId: officer.id, role: 'officer', contentHash: current.contentHash, signedAt: new Date(), voidedAt: null, voidedBy: null }] } },
      );
      await typeParagraph(editor, docName, 'typed before the announcement');
      await godo.reportSignOffs.idle();
      expect(probes).toBe(0);
      expect(await pendingSignOffs()).toEqual(['ANR']);
      // The announcement makes the open report check again, with no further edit: the edit above voids it.
      announceAccessChange({ callId, proposalId });
      await godo.reportSignOffs.idle();
      expect(probes).toBeGreaterThanOrEqual(1);
      expect(await pendingSignOffs()).toEqual([]);
      const after = (await po.client.get(decisionUrl)).body.decision;
      expect(after.signOffs.map((s: { agency: string; status: string }) => [s.agency, s.status])).toContainEqual(['ANR', 'voided']);

      // Through the API (which announces): the next edit voids the new sign-off as well.
      const fresh = (await po.client.get(decisionUrl)).body.decision;
      expect((await officer.client.post(`/api/proposals/${proposalId}/signoffs`, { contentHash: fresh.contentHash })).status).toBe(201);
      await godo.reportSignOffs.idle();
      expect(await pendingSignOffs()).toEqual(['ANR']);
      await typeParagraph(editor, docName, 'typed after the sign-off');
      await godo.reportSignOffs.idle();
      expect(await pendingSignOffs()).toEqual([]);
    } finally {
      mongoose.set('debug', false);
      editor.destroy();
    }
  });
});
