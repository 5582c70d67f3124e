import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGodo } from '../../../server/index.js';
import { reportDocName } from '../../../shared/collab.js';
import { sectionFragment } from '../../../shared/collab/reportDoc.js';
import { startTestGodo } from '../../helpers/godo.js';
import { advanceTo, assign, createCall, createMember, createProposal, eu, submitReview, type Member } from '../http/panelSetup.js';
import { connectClient, synced, within } from './support/clients.js';

let godo: RunningGodo;
beforeAll(async () => {
  godo = await startTestGodo();
});
afterAll(async () => {
  await godo?.close();
});

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
});
