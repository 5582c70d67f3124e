import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGodo } from '../../../server/index.js';
import { startTestGodo } from '../../helpers/godo.js';
import { bilateralCallInput, createUser, signIn } from '../../helpers/fixtures.js';
import { HttpClient } from '../../helpers/httpClient.js';
import { AGENCIES } from './panelSetup.js';
import { proposalInput } from './setup.js';

/*
 * A call's whole life through the HTTP API only, as its people would live it. The one exception
 * is the first platform administrator, who has no route (accounts are otherwise created by
 * accepting an invitation): that account is written by the fixture helper.
 */

let godo: RunningGodo;

beforeAll(async () => {
  godo = await startTestGodo();
});
afterAll(async () => {
  await godo?.close();
});

interface Someone {
  id: string;
  name: string;
  client: HttpClient;
}

const ok = (res: { status: number; text: string }, status = 200) => expect(res.status, res.text).toBe(status);

/** Invites `email` to a role and accepts through the returned link in a fresh browser, which is then signed in. */
async function invite(admin: HttpClient, callId: string, who: { email: string; name: string; role: string; agency?: string; institution?: string }): Promise<Someone> {
  const created = await admin.post(`/api/calls/${callId}/invitations`, { email: who.email, role: who.role, ...(who.agency ? { agency: who.agency } : {}), language: 'en' });
  ok(created, 201);
  expect(created.body.link).toMatch(/^\/invite\/[A-Za-z0-9_-]{32,}$/);
  const token = created.body.link.slice('/invite/'.length);
  const browser = new HttpClient(godo.url);
  const shown = await browser.get(`/api/invitations/${token}`);
  ok(shown);
  expect(shown.body.invitation).toMatchObject({ email: who.email, role: who.role, accountExists: false, call: { id: callId } });
  const accepted = await browser.post(`/api/invitations/${token}/accept`, {
    name: who.name,
    password: `${who.name} chose a long password`,
    ...(who.institution ? { institution: who.institution } : {}),
  });
  ok(accepted);
  expect(accepted.body.callId).toBe(callId);
  expect((await browser.get('/api/me')).body.user.email).toBe(who.email);
  expect((await browser.get(`/api/invitations/${token}`)).status).toBe(404);
  return { id: accepted.body.user.id, name: who.name, client: browser };
}

async function saveReview(reviewer: Someone, proposalId: string, [excellence, impact, implementation]: number[], submit: boolean) {
  const mine = await reviewer.client.get(`/api/proposals/${proposalId}/reviews/mine`);
  ok(mine);
  const res = await reviewer.client.put(`/api/proposals/${proposalId}/reviews/mine`, {
    scores: { excellence, impact, implementation },
    comments: { excellence: 'Novel approach.', impact: 'Clear users.', implementation: 'Realistic plan.' },
    overallComment: 'A credible joint team.',
    confidence: 4,
    submit,
    version: mine.body.review?.version ?? 0,
  });
  ok(res);
  return res.body.review;
}

const csvBytes = async (client: HttpClient, path: string) => {
  const res = await fetch(godo.url + path, { headers: { cookie: client.cookieHeader() } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
  const bytes = new Uint8Array(await res.arrayBuffer());
  return { bytes, lines: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).split('\r\n').filter(Boolean) };
};

describe('a bilateral JST–ANR call from setup to signed decisions', () => {
  let admin: HttpClient;
  let callId: string;
  let pd: Someone, po: Someone, officer: Someone, observer: Someone;
  let kenji: Someone, mai: Someone, julien: Someone, sophie: Someone;
  const ids: Record<'p1' | 'p2' | 'p3', string> = { p1: '', p2: '', p3: '' };
  const decisionOf = async (proposalId: string, who: Someone = po) => (await who.client.get(`/api/proposals/${proposalId}/decision`)).body.decision;
  const phase = async (to: string) => {
    const { version } = (await po.client.get(`/api/calls/${callId}`)).body.call;
    const res = await po.client.post(`/api/calls/${callId}/phase`, { to, reason: `Moving to ${to}`, version });
    ok(res);
    expect(res.body.call.phase).toBe(to);
  };

  it('setup: an administrator creates the call and invites its people, who accept through their links', async () => {
    await createUser(godo, { email: 'admin@jst.go.jp', name: 'Platform Admin', isAdmin: true });
    admin = await signIn(godo, 'admin@jst.go.jp');
    const created = await admin.post('/api/calls', bilateralCallInput());
    ok(created, 201);
    callId = created.body.call.id;
    expect(created.body.call).toMatchObject({ phase: 'setup', programme: 'bilateral' });

    pd = await invite(admin, callId, { email: 'akira.pd@jst.go.jp', name: 'Akira Mori', role: 'pd', agency: 'JST' });
    po = await invite(admin, callId, { email: 'yuki.po@jst.go.jp', name: 'Yuki Tanaka', role: 'po', agency: 'JST' });
    officer = await invite(admin, callId, { email: 'claire.officer@anr.fr', name: 'Claire Bernard', role: 'officer', agency: 'ANR' });
    observer = await invite(admin, callId, { email: 'olga.observer@example.eu', name: 'Olga Novak', role: 'observer' });
    kenji = await invite(po.client, callId, { email: 'kenji@kyoto-u.ac.jp', name: 'Kenji Watanabe', role: 'reviewer', agency: 'JST', institution: 'Kyoto University' });
    mai = await invite(po.client, callId, { email: 'mai@hokudai.ac.jp', name: 'Mai Suzuki', role: 'reviewer', agency: 'JST', institution: 'Hokkaido University' });
    julien = await invite(po.client, callId, { email: 'julien@univ-lille.fr', name: 'Julien Petit', role: 'reviewer', agency: 'ANR', institution: 'Université de Lille' });
    sophie = await invite(po.client, callId, { email: 'sophie@univ-grenoble-alpes.fr', name: 'Sophie Leroy', role: 'reviewer', agency: 'ANR', institution: 'Université Grenoble Alpes' });
    expect((await officer.client.post(`/api/calls/${callId}/invitations`, { email: 'x@anr.fr', role: 'reviewer', agency: 'ANR', language: 'en' })).status).toBe(403);

    const members = (await po.client.get(`/api/calls/${callId}/members`)).body.members as { userId: string; role: string }[];
    expect(members.map((m) => m.role).sort()).toEqual(['admin', 'observer', 'officer', 'pd', 'po', 'reviewer', 'reviewer', 'reviewer', 'reviewer']);
    expect((await kenji.client.get('/api/calls')).body.calls.map((c: { id: string }) => c.id)).toEqual([callId]);
  });

  it('setup: proposals are added, and the conflict Godo proposes from an institution is confirmed', async () => {
    const add = async (title: string, pis: object[], budget: object) => {
      const res = await admin.post(`/api/calls/${callId}/proposals`, proposalInput({ title: { en: title }, pis: pis as never, budget: budget as never }));
      ok(res, 201);
      return res.body.proposal.id as string;
    };
    ids.p1 = await add('Self-driving laboratories for battery materials', proposalInput().pis, proposalInput().budget);
    ids.p2 = await add('Coastal resilience from satellite radar', [
      { name: 'Ichiro Kato', institution: 'Kyoto University', email: 'ichiro@kyoto-u.ac.jp', agency: 'JST' },
      { name: 'Louis Martin', institution: 'Sorbonne University', email: 'louis@sorbonne-universite.fr', agency: 'ANR' },
    ], { JST: [12_000_000, 12_000_000, 12_000_000], ANR: [120_000, 120_000, 120_000] });
    ids.p3 = await add('Perovskite tandem solar cells', [
      { name: 'Ken Ito', institution: 'Tohoku University', email: 'ken@tohoku.ac.jp', agency: 'JST' },
      { name: 'Anne Roux', institution: 'CEA', email: 'anne.roux@cea.fr', agency: 'ANR' },
    ], { JST: [30_000_000, 30_000_000, 30_000_000], ANR: [200_000, 200_000, 200_000] });

    const conflicts = (await po.client.get(`/api/calls/${callId}/conflicts`)).body.conflicts;
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({ userId: kenji.id, proposalId: ids.p2, source: 'automatic', status: 'proposed' });
    expect(conflicts[0].note).toMatch(/same institution.*\(kyoto university/i);
    const confirmed = await po.client.patch(`/api/conflicts/${conflicts[0].id}`, { status: 'confirmed', version: conflicts[0].version });
    ok(confirmed);
    expect(confirmed.body.conflict).toMatchObject({ status: 'confirmed', decidedBy: po.id });
    expect((await kenji.client.get(`/api/proposals/${ids.p2}`)).status).toBe(404);
    expect((await kenji.client.get(`/api/calls/${callId}/proposals`)).body.proposals.map((p: { id: string }) => p.id).sort()).toEqual([ids.p1, ids.p3].sort());
  });

  it('setup: reviewers are assigned, and accept certifying that they have no conflict', async () => {
    const refused = await po.client.post(`/api/calls/${callId}/assignments`, { proposalId: ids.p2, reviewerId: kenji.id });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('conflict_of_interest');
    const plan: [string, Someone, boolean][] = [
      [ids.p1, kenji, true], [ids.p1, mai, false], [ids.p1, julien, false], [ids.p1, sophie, false],
      [ids.p2, mai, true], [ids.p2, sophie, false],
      [ids.p3, kenji, false], [ids.p3, julien, true],
    ];
    for (const [proposalId, reviewer, rapporteur] of plan) {
      const res = await po.client.post(`/api/calls/${callId}/assignments`, { proposalId, reviewerId: reviewer.id, rapporteur });
      ok(res, 201);
      const url = `/api/assignments/${res.body.assignment.id}/accept`;
      expect((await reviewer.client.post(url, { certifyNoConflict: false })).status).toBe(400);
      expect((await (reviewer === sophie ? julien : sophie).client.post(url, { certifyNoConflict: true })).status).toBe(403);
      const accepted = await reviewer.client.post(url, { certifyNoConflict: true });
      ok(accepted);
      expect(accepted.body.assignment.acceptedAt).toEqual(expect.any(String));
    }
    const load = (await po.client.get(`/api/calls/${callId}/assignments`)).body.load as { reviewerId: string; assigned: number; accepted: number }[];
    expect(load.find((l) => l.reviewerId === julien.id)).toMatchObject({ assigned: 2, accepted: 2 });
  });

  it('review: drafts stay private, and a reviewer reads the others only after submitting', async () => {
    await phase('review');
    await saveReview(kenji, ids.p1, [4.5, 4, 4], false);
    expect((await kenji.client.get(`/api/proposals/${ids.p1}/reviews`)).status).toBe(403);
    await saveReview(julien, ids.p1, [3, 3, 3], true);
    const julienReads = (await julien.client.get(`/api/proposals/${ids.p1}/reviews`)).body.reviews;
    expect(julienReads.map((r: { reviewer: { id: string } }) => r.reviewer.id)).toEqual([julien.id]);
    const submitted = await saveReview(kenji, ids.p1, [4.5, 4, 4], true);
    expect(submitted).toMatchObject({ status: 'submitted', version: 2 });
    expect((await kenji.client.get(`/api/proposals/${ids.p1}/reviews`)).body.reviews).toHaveLength(2);
    expect((await observer.client.get(`/api/proposals/${ids.p1}/reviews`)).status).toBe(403);
    await saveReview(mai, ids.p1, [4, 4, 3.5], true);
    await saveReview(sophie, ids.p1, [3, 2, 3], true);
    await saveReview(mai, ids.p2, [3, 3, 3], true);
    await saveReview(sophie, ids.p2, [3.5, 3, 3], true);
    await saveReview(kenji, ids.p3, [4, 3.5, 4], true);
    await saveReview(julien, ids.p3, [4, 4, 3.5], true);
  });

  it('panel: the reconciliation compares the agencies and flags the gap; the rapporteur writes the consensus', async () => {
    await phase('panel');
    expect((await observer.client.get(`/api/proposals/${ids.p1}/reviews`)).body.reviews).toHaveLength(4);
    const res = await po.client.get(`/api/proposals/${ids.p1}/reconciliation`);
    ok(res);
    const impact = res.body.reconciliation.criteria.find((c: { key: string }) => c.key === 'impact');
    expect(impact.overall).toMatchObject({ n: 4, mean: 3.25, min: 2, max: 4, spread: 2 });
    expect(impact.byAgency.JST).toMatchObject({ n: 2, mean: 4 });
    expect(impact.byAgency.ANR).toMatchObject({ n: 2, mean: 2.5 });
    expect(impact.agencyGap).toMatchObject({ gap: 1.5 });
    const flags = res.body.reconciliation.flags.filter((f: { criterion?: string }) => f.criterion === 'impact').map((f: { kind: string }) => f.kind);
    expect(flags.sort()).toEqual(['agency_gap', 'spread']);

    const consensus = {
      criteria: {
        excellence: { score: 4, rationale: { en: 'Strong hypotheses on both sides.', ja: '双方の仮説が明確。' } },
        impact: { score: 3.5, rationale: { en: 'Industrial pull in Japan.' }, minorityViews: [{ agency: 'ANR', text: { en: 'ANR reviewers doubt the European uptake.' } }] },
        implementation: { score: 3.5, rationale: { en: 'Feasible.' } },
      },
      summary: { en: 'Fund.', ja: '採択を推奨。' },
      recommendation: 'fund',
      version: 0,
    };
    expect((await mai.client.put(`/api/proposals/${ids.p1}/consensus`, consensus)).status).toBe(403);
    const written = await kenji.client.put(`/api/proposals/${ids.p1}/consensus`, consensus);
    ok(written);
    expect(written.body.consensus).toMatchObject({ version: 1, recommendation: 'fund' });
    const simple = { criteria: { excellence: { score: 3.5 }, impact: { score: 3 }, implementation: { score: 3 } }, recommendation: 'reject', version: 0 };
    ok(await mai.client.put(`/api/proposals/${ids.p2}/consensus`, simple));
    ok(await julien.client.put(`/api/proposals/${ids.p3}/consensus`, { ...simple, recommendation: 'fund_with_conditions' }));
  });

  it('panel: the joint list is negotiated with reasons and cut into tiers', async () => {
    const before = (await po.client.get(`/api/calls/${callId}/ranking`)).body.ranking;
    expect(before.joint.map((e: { proposalId: string }) => e.proposalId)).toEqual([ids.p3, ids.p1, ids.p2]);
    const reason = 'Stronger cross-side complementarity; ANR gives it priority';
    expect((await officer.client.post(`/api/calls/${callId}/ranking/moves`, { proposalId: ids.p1, toPosition: 1, version: before.version })).status).toBe(400);
    const moved = await officer.client.post(`/api/calls/${callId}/ranking/moves`, { proposalId: ids.p1, toPosition: 1, reason, version: before.version });
    ok(moved);
    expect(moved.body.ranking.joint.map((e: { proposalId: string }) => e.proposalId)).toEqual([ids.p1, ids.p3, ids.p2]);
    expect(moved.body.ranking.moves).toEqual([expect.objectContaining({ proposalId: ids.p1, fromPosition: 2, toPosition: 1, reason, by: { id: officer.id, name: officer.name } })]);
    ok(await pd.client.put(`/api/calls/${callId}/ranking/tiers`, { tiers: [{ label: 'A', lastPosition: 2 }, { label: 'B', lastPosition: 3 }], version: moved.body.ranking.version }));
    const seenByKenji = (await kenji.client.get(`/api/calls/${callId}/ranking`)).body.ranking;
    expect(seenByKenji.joint.map((e: { proposalId: string }) => e.proposalId)).toEqual([ids.p1, ids.p3]);
  });

  it('finalization: decisions are set and signed off by JST’s PO and the ANR officer; a final report is frozen', async () => {
    await phase('finalization');
    ok(await po.client.put(`/api/proposals/${ids.p1}/decision`, { kind: 'fund', version: 0 }));
    ok(await po.client.put(`/api/proposals/${ids.p2}/decision`, { kind: 'reject', version: 0 }));
    ok(await pd.client.put(`/api/proposals/${ids.p3}/decision`, { kind: 'fund_with_conditions', conditions: { en: 'Add a data management plan.' }, version: 0 }));
    const { contentHash } = await decisionOf(ids.p1);
    expect((await mai.client.post(`/api/proposals/${ids.p1}/signoffs`, { contentHash })).status).toBe(403);
    ok(await po.client.post(`/api/proposals/${ids.p1}/signoffs`, { contentHash }), 201);
    expect((await decisionOf(ids.p1)).final).toBe(false);
    const signed = await officer.client.post(`/api/proposals/${ids.p1}/signoffs`, { contentHash });
    ok(signed, 201);
    expect(signed.body.decision).toMatchObject({ final: true, decision: { kind: 'fund' } });
    expect(signed.body.decision.signOffs.map((s: { agency: string; status: string; signedBy: { id: string } }) => [s.agency, s.status, s.signedBy.id])).toEqual([
      ['JST', 'valid', po.id],
      ['ANR', 'valid', officer.id],
    ]);
    // Once every agency has signed, the report is frozen (server/policies/proposal.ts, consensus:write).
    expect((await kenji.client.put(`/api/proposals/${ids.p1}/consensus`, { criteria: { excellence: { score: 5 } }, version: 1 })).status).toBe(403);
  });

  it('finalization: a consensus change after a sign-off voids it, with signoff.voided in the audit log', async () => {
    const first = (await decisionOf(ids.p3)).contentHash;
    ok(await po.client.post(`/api/proposals/${ids.p3}/signoffs`, { contentHash: first }), 201);
    const revised = await julien.client.put(`/api/proposals/${ids.p3}/consensus`, {
      criteria: { excellence: { score: 4 }, impact: { score: 3.5 }, implementation: { score: 3.5 } },
      recommendation: 'fund_with_conditions',
      version: 1,
    });
    ok(revised);
    const after = await decisionOf(ids.p3);
    expect(after.signOffs.find((s: { agency: string }) => s.agency === 'JST')).toMatchObject({ status: 'voided', voidedBy: 'consensus.updated' });
    expect(after.contentHash).not.toBe(first);
    const stale = await officer.client.post(`/api/proposals/${ids.p3}/signoffs`, { contentHash: first });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('signoff_stale');
    const voided = (await po.client.get(`/api/calls/${callId}/audit?action=signoff.voided`)).body.entries;
    expect(voided).toEqual([expect.objectContaining({ proposalId: ids.p3, before: expect.objectContaining({ agency: 'JST' }), after: expect.objectContaining({ cause: 'consensus.updated' }) })]);

    for (const proposalId of [ids.p3, ids.p2]) {
      const { contentHash } = await decisionOf(proposalId);
      ok(await po.client.post(`/api/proposals/${proposalId}/signoffs`, { contentHash }), 201);
      ok(await officer.client.post(`/api/proposals/${proposalId}/signoffs`, { contentHash }), 201);
      expect((await decisionOf(proposalId)).final).toBe(true);
    }
    await phase('decided');
    expect(await decisionOf(ids.p1, mai)).toMatchObject({ final: true, decision: { kind: 'fund' } });
  });

  it('audit: every step is in the log, who did it and what changed', async () => {
    const entries: { action: string; actor: { id: string } }[] = [];
    for (let offset: number | null = 0; offset !== null; ) {
      const page: { status: number; text: string; body: { entries: typeof entries; nextOffset: number | null } } = await po.client.get(`/api/calls/${callId}/audit?limit=200&offset=${offset}`);
      ok(page);
      entries.push(...page.body.entries);
      offset = page.body.nextOffset;
    }
    const count = (action: string) => entries.filter((e) => e.action === action).length;
    expect({
      'call.created': count('call.created'),
      'invitation.created': count('invitation.created'),
      'invitation.accepted': count('invitation.accepted'),
      'proposal.created': count('proposal.created'),
      'conflict.proposed': count('conflict.proposed'),
      'conflict.confirmed': count('conflict.confirmed'),
      'assignment.created': count('assignment.created'),
      'assignment.accepted': count('assignment.accepted'),
      'phase.changed': count('phase.changed'),
      'review.submitted': count('review.submitted'),
      'consensus.updated': count('consensus.updated'),
      'ranking.moved': count('ranking.moved'),
      'ranking.tiersSet': count('ranking.tiersSet'),
      'decision.set': count('decision.set'),
      'signoff.given': count('signoff.given'),
      'signoff.voided': count('signoff.voided'),
    }).toEqual({
      'call.created': 1, 'invitation.created': 8, 'invitation.accepted': 8, 'proposal.created': 3, 'conflict.proposed': 1,
      'conflict.confirmed': 1, 'assignment.created': 8, 'assignment.accepted': 8, 'phase.changed': 4, 'review.submitted': 8,
      'consensus.updated': 4, 'ranking.moved': 1, 'ranking.tiersSet': 1, 'decision.set': 3, 'signoff.given': 7, 'signoff.voided': 1,
    });
    expect(count('review.saved')).toBeGreaterThan(0);
    expect(entries.find((e) => e.action === 'ranking.moved')!.actor.id).toBe(officer.id);
  });

  it('exports: CSV with a byte order mark, one row per submitted review', async () => {
    const scores = await csvBytes(po.client, `/api/calls/${callId}/export/scores.csv`);
    expect([...scores.bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(scores.lines).toHaveLength(1 + 8);
    expect(scores.lines[0]).toBe('\uFEFFproposal_ref,proposal_title,reviewer,agency,excellence,impact,implementation,weighted_total,confidence,submitted_at');
    const ranking = await csvBytes(officer.client, `/api/calls/${callId}/export/ranking.csv`);
    expect([...ranking.bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(ranking.lines).toHaveLength(1 + 3);
  });
});

describe('a three-agency e-ASIA call (JST, NRF, ANR): final only when every agency has signed', () => {
  it('runs from setup to a decision signed by JST, NRF and ANR', async () => {
    await createUser(godo, { email: 'easia-admin@jst.go.jp', name: 'e-ASIA Admin', isAdmin: true });
    const admin = await signIn(godo, 'easia-admin@jst.go.jp');
    const created = await admin.post('/api/calls', bilateralCallInput({
      programme: 'multilateral_asia',
      title: { en: 'e-ASIA joint call on infectious diseases', ja: 'e-ASIA 感染症共同公募' },
      agencies: [AGENCIES.JST, AGENCIES.NRF, AGENCIES.ANR],
    }));
    ok(created, 201);
    const callId: string = created.body.call.id;
    const po = await invite(admin, callId, { email: 'easia.po@jst.go.jp', name: 'Haruto Ogawa', role: 'po', agency: 'JST' });
    const nrf = await invite(admin, callId, { email: 'officer@nrf.re.kr', name: 'Minji Kim', role: 'officer', agency: 'NRF' });
    const anr = await invite(admin, callId, { email: 'easia.officer@anr.fr', name: 'Paul Girard', role: 'officer', agency: 'ANR' });
    const reviewers = [
      await invite(po.client, callId, { email: 'rev@nagoya-u.ac.jp', name: 'Sora Ito', role: 'reviewer', agency: 'JST', institution: 'Nagoya University' }),
      await invite(po.client, callId, { email: 'rev@kaist.ac.kr', name: 'Jiwoo Park', role: 'reviewer', agency: 'NRF', institution: 'KAIST' }),
      await invite(po.client, callId, { email: 'rev@inserm.fr', name: 'Lea Moreau', role: 'reviewer', agency: 'ANR', institution: 'Inserm' }),
    ];
    const proposal = await admin.post(`/api/calls/${callId}/proposals`, proposalInput({
      title: { en: 'Dengue surveillance with wastewater genomics', ja: '下水ゲノミクスによるデング熱監視' },
      pis: [
        { name: 'Aiko Hayashi', institution: 'Nagasaki University', email: 'aiko@nagasaki-u.ac.jp', agency: 'JST' },
        { name: 'Seo-yeon Lee', institution: 'Seoul National University', email: 'sylee@snu.ac.kr', agency: 'NRF' },
        { name: 'Hugo Blanc', institution: 'Institut Pasteur', email: 'hugo.blanc@pasteur.fr', agency: 'ANR' },
      ],
      budget: { JST: [10_000_000, 10_000_000, 10_000_000], NRF: [100_000_000, 100_000_000, 100_000_000], ANR: [100_000, 100_000, 100_000] },
    }));
    ok(proposal, 201);
    const proposalId: string = proposal.body.proposal.id;
    expect((await po.client.get(`/api/calls/${callId}/conflicts`)).body.conflicts).toEqual([]);
    for (const [i, reviewer] of reviewers.entries()) {
      const assigned = await po.client.post(`/api/calls/${callId}/assignments`, { proposalId, reviewerId: reviewer.id, rapporteur: i === 0 });
      ok(assigned, 201);
      ok(await reviewer.client.post(`/api/assignments/${assigned.body.assignment.id}/accept`, { certifyNoConflict: true }));
    }

    const movePhase = async (to: string) => {
      const { version } = (await po.client.get(`/api/calls/${callId}`)).body.call;
      ok(await po.client.post(`/api/calls/${callId}/phase`, { to, version }));
    };
    await movePhase('review');
    for (const [i, reviewer] of reviewers.entries()) await saveReview(reviewer, proposalId, [4 - i * 0.5, 4, 3.5], true);
    await movePhase('panel');
    const reconciliation = (await nrf.client.get(`/api/proposals/${proposalId}/reconciliation`)).body.reconciliation;
    const excellence = reconciliation.criteria.find((c: { key: string }) => c.key === 'excellence');
    expect(Object.keys(excellence.byAgency).sort()).toEqual(['ANR', 'JST', 'NRF']);
    expect(excellence.agencyGap).toMatchObject({ gap: 1 });
    ok(await reviewers[0].client.put(`/api/proposals/${proposalId}/consensus`, {
      criteria: { excellence: { score: 3.5 }, impact: { score: 4 }, implementation: { score: 3.5 } },
      recommendation: 'fund',
      version: 0,
    }));

    await movePhase('finalization');
    ok(await anr.client.put(`/api/proposals/${proposalId}/decision`, { kind: 'fund', version: 0 }));
    const { contentHash } = (await po.client.get(`/api/proposals/${proposalId}/decision`)).body.decision;
    ok(await po.client.post(`/api/proposals/${proposalId}/signoffs`, { contentHash }), 201);
    const two = await nrf.client.post(`/api/proposals/${proposalId}/signoffs`, { contentHash });
    ok(two, 201);
    expect(two.body.decision.final).toBe(false);
    expect(two.body.decision.signOffs.map((s: { agency: string; status: string }) => `${s.agency}:${s.status}`)).toEqual(['JST:valid', 'NRF:valid', 'ANR:missing']);
    const all = await anr.client.post(`/api/proposals/${proposalId}/signoffs`, { contentHash });
    ok(all, 201);
    expect(all.body.decision.final).toBe(true);
    await movePhase('decided');
    expect((await reviewers[1].client.get(`/api/proposals/${proposalId}/decision`)).body.decision).toMatchObject({ final: true, decision: { kind: 'fund' } });
    const audit = (await po.client.get(`/api/calls/${callId}/audit?action=signoff.given`)).body.entries as { actor: { id: string } }[];
    expect(audit.map((e) => e.actor.id).sort()).toEqual([po.id, nrf.id, anr.id].sort());
  });
});
