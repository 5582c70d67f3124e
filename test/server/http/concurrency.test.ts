import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGodo } from '../../../server/index.js';
import { startTestGodo } from '../../helpers/godo.js';
import type { HttpClient } from '../../helpers/httpClient.js';
import { addMember, createProposal, person, setUpCall, type CallSetup, type Person } from './setup.js';

/*
 * Optimistic versions under contention: for every resource that carries one, two updates sent at
 * the same moment on the same version give exactly one success and one 409, and what is stored
 * afterwards is the winner's update, whole (no lost update, no blend of the two). Each race is run
 * several times, so both orders of arrival are likely to be seen.
 */

const ROUNDS = 4;

let godo: RunningGodo;
let s: CallSetup;
let p1: string;
let p2: string;
let p3: string;
let autoConflicted: Person;

/** A response as the test client returns it (bodies are read loosely, as in the other HTTP tests). */
type Res = { status: number; text: string; body: any };

beforeAll(async () => {
  godo = await startTestGodo();
  s = await setUpCall(godo, 'cc');
  p1 = await createProposal(s.admin.client, s.callId);
  p2 = await createProposal(s.admin.client, s.callId, { title: { en: 'Second proposal' } });
  p3 = await createProposal(s.admin.client, s.callId, { title: { en: 'Third proposal' } });
  // Works where the proposals' JST PI works: Godo proposes a conflict with each of them.
  autoConflicted = await person(godo, 'cc-tokyo@example.org', { institution: 'The University of Tokyo' });
  await addMember(s.admin.client, s.callId, { personId: autoConflicted.id, role: 'reviewer', agency: 'JST' });
}, 120_000);
afterAll(async () => {
  await godo?.close();
});

/**
 * Sends both updates at once; expects one 2xx and one 409 (`codes` lists the loser's acceptable
 * error codes) and returns which won.
 */
async function race(a: () => Promise<Res>, b: () => Promise<Res>, codes: string[] = ['version_conflict']) {
  const [ra, rb] = await Promise.all([a(), b()]);
  const [winner, loser] = ra.status < 300 ? [ra, rb] : [rb, ra];
  expect([ra.status, rb.status].filter((status) => status >= 200 && status < 300), `${ra.text} / ${rb.text}`).toHaveLength(1);
  expect(loser.status, loser.text).toBe(409);
  expect(codes).toContain(loser.body.error.code);
  return { aWon: winner === ra, winner, loser };
}

const ok = (res: Res, status = 200) => expect(res.status, res.text).toBe(status);

describe('the setup phase', () => {
  it('call: two PATCHes on one version', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { version } = (await s.po.client.get(`/api/calls/${s.callId}`)).body.call;
      const titles = [`PO's title ${round}`, `PD's title ${round}`];
      const { aWon } = await race(
        () => s.po.client.patch(`/api/calls/${s.callId}`, { title: { en: titles[0], ja: '題' }, overallThreshold: 11, version }),
        () => s.pd.client.patch(`/api/calls/${s.callId}`, { title: { en: titles[1], ja: '題' }, overallThreshold: 9, version }),
      );
      const call = (await s.po.client.get(`/api/calls/${s.callId}`)).body.call;
      expect(call).toMatchObject({ title: { en: aWon ? titles[0] : titles[1] }, overallThreshold: aWon ? 11 : 9, version: version + 1 });
    }
  });

  it('proposal: two PATCHes on one version', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { version } = (await s.po.client.get(`/api/proposals/${p1}`)).body.proposal;
      const { aWon } = await race(
        () => s.po.client.patch(`/api/proposals/${p1}`, { abstract: { en: `PO ${round}` }, title: { en: `PO title ${round}` }, version }),
        () => s.officer.client.patch(`/api/proposals/${p1}`, { abstract: { en: `Officer ${round}` }, title: { en: `Officer title ${round}` }, version }),
      );
      const proposal = (await s.po.client.get(`/api/proposals/${p1}`)).body.proposal;
      const who = aWon ? 'PO' : 'Officer';
      expect(proposal).toMatchObject({ abstract: { en: `${who} ${round}` }, title: { en: `${who} title ${round}` }, version: version + 1 });
    }
  });

  it('conflict: confirmed by one, dismissed by another, on one version', async () => {
    const conflicts = (await s.po.client.get(`/api/calls/${s.callId}/conflicts`)).body.conflicts as { id: string; userId: string; version: number }[];
    const proposed = conflicts.filter((c) => c.userId === autoConflicted.id);
    expect(proposed).toHaveLength(3);
    for (const conflict of proposed) {
      const { aWon } = await race(
        () => s.po.client.patch(`/api/conflicts/${conflict.id}`, { status: 'confirmed', note: 'Same department', version: conflict.version }),
        () => s.officer.client.patch(`/api/conflicts/${conflict.id}`, { status: 'dismissed', note: 'Different campus', version: conflict.version }),
      );
      const stored = ((await s.po.client.get(`/api/calls/${s.callId}/conflicts`)).body.conflicts as { id: string }[]).find((c) => c.id === conflict.id);
      expect(stored).toMatchObject(aWon ? { status: 'confirmed', note: 'Same department', decidedBy: s.po.id } : { status: 'dismissed', note: 'Different campus', decidedBy: s.officer.id });
    }
  });

  it('phase: two moves to review on one version move the call once', async () => {
    const { version } = (await s.po.client.get(`/api/calls/${s.callId}`)).body.call;
    await race(
      () => s.po.client.post(`/api/calls/${s.callId}/phase`, { to: 'review', version }),
      () => s.pd.client.post(`/api/calls/${s.callId}/phase`, { to: 'review', version }),
      ['version_conflict', 'phase_transition_invalid'],
    );
    expect((await s.po.client.get(`/api/calls/${s.callId}`)).body.call).toMatchObject({ phase: 'review', version: version + 1 });
    const audit = (await s.po.client.get(`/api/calls/${s.callId}/audit?action=phase.changed`)).body.entries;
    expect(audit).toHaveLength(1);
  });
});

describe('the review phase', () => {
  beforeAll(async () => {
    for (const proposalId of [p1, p2, p3]) {
      for (const [reviewer, rapporteur] of [[s.reviewer, proposalId === p1], [s.reviewerAnr, false]] as const) {
        ok(await s.po.client.post(`/api/calls/${s.callId}/assignments`, { proposalId, reviewerId: reviewer.id, rapporteur }), 201);
      }
    }
  });

  const review = (client: HttpClient, proposalId: string, score: number, submit: boolean, version?: number) =>
    client.put(`/api/proposals/${proposalId}/reviews/mine`, {
      scores: { excellence: score, impact: score, implementation: score },
      comments: { excellence: `Scored ${score}.` },
      confidence: 3,
      submit,
      // A first save sends 0: the version is always required, so no save overwrites blindly.
      version: version ?? 0,
    });

  it('review: two first saves, then two saves on one version (two tabs of one reviewer)', async () => {
    // A first save says "there is none yet" with version 0.
    await race(() => review(s.reviewer.client, p1, 3, false, 0), () => review(s.reviewer.client, p1, 4, false, 0));
    for (let round = 0; round < ROUNDS; round++) {
      const mine = (await s.reviewer.client.get(`/api/proposals/${p1}/reviews/mine`)).body.review;
      const { aWon } = await race(
        () => review(s.reviewer.client, p1, 2.5, false, mine.version),
        () => review(s.reviewer.client, p1, 4.5, round === ROUNDS - 1, mine.version),
      );
      const stored = (await s.reviewer.client.get(`/api/proposals/${p1}/reviews/mine`)).body.review;
      const score = aWon ? 2.5 : 4.5;
      expect(stored).toMatchObject({ scores: { excellence: score, impact: score, implementation: score }, version: mine.version + 1 });
    }
    for (const proposalId of [p1, p2, p3]) {
      for (const [reviewer, score] of [[s.reviewer, 4], [s.reviewerAnr, 3]] as const) {
        const mine = (await reviewer.client.get(`/api/proposals/${proposalId}/reviews/mine`)).body.review;
        ok(await review(reviewer.client, proposalId, proposalId === p3 ? score - 1 : score, true, mine?.version));
      }
    }
  });
});

describe('the panel and finalization', () => {
  const criteria = (score: number) => ({ excellence: { score }, impact: { score }, implementation: { score } });

  it('consensus: two first saves on version 0, then two replacements on one version', async () => {
    ok(await s.po.client.post(`/api/calls/${s.callId}/phase`, { to: 'panel', version: (await s.po.client.get(`/api/calls/${s.callId}`)).body.call.version }));
    await race(
      () => s.reviewer.client.put(`/api/proposals/${p1}/consensus`, { criteria: criteria(4), version: 0 }),
      () => s.po.client.put(`/api/proposals/${p1}/consensus`, { criteria: criteria(3), version: 0 }),
    );
    for (let round = 0; round < ROUNDS; round++) {
      const { version } = (await s.po.client.get(`/api/proposals/${p1}/consensus`)).body.consensus;
      const { aWon } = await race(
        () => s.reviewer.client.put(`/api/proposals/${p1}/consensus`, { criteria: criteria(4.5), summary: { en: 'Rapporteur' }, version }),
        () => s.officer.client.put(`/api/proposals/${p1}/consensus`, { criteria: criteria(2), recommendation: 'reject', version }),
      );
      const stored = (await s.po.client.get(`/api/proposals/${p1}/consensus`)).body.consensus;
      expect(stored.version).toBe(version + 1);
      expect(stored.criteria.excellence.score).toBe(aWon ? 4.5 : 2);
      expect(stored.summary).toEqual(aWon ? { en: 'Rapporteur' } : null);
      expect(stored.recommendation).toBe(aWon ? null : 'reject');
    }
  });

  it('ranking: two moves on one version, then two tier cuts on one version', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const before = (await s.po.client.get(`/api/calls/${s.callId}/ranking`)).body.ranking;
      const [first, , last] = before.joint.map((entry: { proposalId: string }) => entry.proposalId);
      const { aWon } = await race(
        () => s.po.client.post(`/api/calls/${s.callId}/ranking/moves`, { proposalId: last, toPosition: 1, reason: `PO round ${round}`, version: before.version }),
        () => s.officer.client.post(`/api/calls/${s.callId}/ranking/moves`, { proposalId: first, toPosition: 3, reason: `Officer round ${round}`, version: before.version }),
      );
      const after = (await s.po.client.get(`/api/calls/${s.callId}/ranking`)).body.ranking;
      expect(after.version).toBe(before.version + 1);
      expect(after.moves).toHaveLength(before.moves.length + 1);
      expect(after.moves.at(-1)).toMatchObject(aWon ? { proposalId: last, reason: `PO round ${round}`, by: { id: s.po.id } } : { proposalId: first, reason: `Officer round ${round}`, by: { id: s.officer.id } });
      expect(after.joint[aWon ? 0 : 2].proposalId).toBe(aWon ? last : first);
    }
    for (let round = 0; round < ROUNDS; round++) {
      const { version } = (await s.po.client.get(`/api/calls/${s.callId}/ranking`)).body.ranking;
      const { aWon } = await race(
        () => s.pd.client.put(`/api/calls/${s.callId}/ranking/tiers`, { tiers: [{ label: `A${round}`, lastPosition: 1 }], version }),
        () => s.officer.client.put(`/api/calls/${s.callId}/ranking/tiers`, { tiers: [{ label: `B${round}`, lastPosition: 2 }, { label: 'C', lastPosition: 3 }], version }),
      );
      const after = (await s.po.client.get(`/api/calls/${s.callId}/ranking`)).body.ranking;
      expect(after).toMatchObject({ version: version + 1, tiers: aWon ? [{ label: `A${round}`, lastPosition: 1 }] : [{ label: `B${round}`, lastPosition: 2 }, { label: 'C', lastPosition: 3 }] });
    }
  });

  it('comment: two edits of one comment on one version (two tabs of its author)', async () => {
    const created = await s.reviewer.client.post(`/api/proposals/${p2}/comments`, { body: 'First thoughts.' });
    ok(created, 201);
    const url = `/api/comments/${created.body.comment.id}`;
    for (let round = 0; round < ROUNDS; round++) {
      const { version } = ((await s.reviewer.client.get(`/api/proposals/${p2}/comments`)).body.comments as { id: string; version: number }[]).find((c) => c.id === created.body.comment.id)!;
      const { aWon } = await race(
        () => s.reviewer.client.patch(url, { body: `Tab one, round ${round}`, version }),
        () => s.reviewer.client.patch(url, { body: `Tab two, round ${round}`, version }),
      );
      const stored = ((await s.po.client.get(`/api/proposals/${p2}/comments`)).body.comments as { id: string; body: string; version: number; history: unknown[] }[]).find((c) => c.id === created.body.comment.id)!;
      expect(stored).toMatchObject({ body: aWon ? `Tab one, round ${round}` : `Tab two, round ${round}`, version: version + 1 });
      expect(stored.history).toHaveLength(round + 1);
    }
  });

  it('decision: two PUTs on one version', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { version } = (await s.po.client.get(`/api/proposals/${p1}/decision`)).body.decision;
      const conditions = { en: `Conditions ${round}` };
      const { aWon } = await race(
        () => s.po.client.put(`/api/proposals/${p1}/decision`, { kind: 'fund_with_conditions', conditions, version }),
        () => s.officer.client.put(`/api/proposals/${p1}/decision`, { kind: 'reserve', version }),
      );
      const stored = (await s.po.client.get(`/api/proposals/${p1}/decision`)).body.decision;
      expect(stored).toMatchObject({ version: version + 1, decision: aWon ? { kind: 'fund_with_conditions', conditions } : { kind: 'reserve', conditions: null } });
    }
  });

  it('sign-offs: two agencies signing at once both count; a sign-off racing a decision change never stays valid on content it did not see', async () => {
    for (const proposalId of [p2, p3]) ok(await s.po.client.put(`/api/proposals/${proposalId}/decision`, { kind: 'fund', version: 0 }));
    ok(await s.po.client.post(`/api/calls/${s.callId}/phase`, { to: 'finalization', version: (await s.po.client.get(`/api/calls/${s.callId}`)).body.call.version }));
    // Different agencies do not compete: each sign-off is its own record (retried on a lost race).
    const { contentHash } = (await s.po.client.get(`/api/proposals/${p2}/decision`)).body.decision;
    const both = await Promise.all([
      s.po.client.post(`/api/proposals/${p2}/signoffs`, { contentHash }),
      s.officer.client.post(`/api/proposals/${p2}/signoffs`, { contentHash }),
    ]);
    expect(both.map((res) => res.status)).toEqual([201, 201]);
    const signed = (await s.po.client.get(`/api/proposals/${p2}/decision`)).body.decision;
    expect(signed.signOffs.map((line: { status: string }) => line.status)).toEqual(['valid', 'valid']);
    expect(signed.final).toBe(true);

    for (let round = 0; round < ROUNDS; round++) {
      const shown = (await s.po.client.get(`/api/proposals/${p3}/decision`)).body.decision;
      const kind = round % 2 ? 'fund' : 'reserve';
      const [signOff, change] = await Promise.all([
        s.officer.client.post(`/api/proposals/${p3}/signoffs`, { contentHash: shown.contentHash }),
        s.pd.client.put(`/api/proposals/${p3}/decision`, { kind, version: shown.version }),
      ]);
      ok(change);
      const after = (await s.po.client.get(`/api/proposals/${p3}/decision`)).body.decision;
      const anr = after.signOffs.find((line: { agency: string }) => line.agency === 'ANR');
      if (signOff.status === 201) expect(anr.status).toBe('voided');
      else {
        expect(signOff.status, signOff.text).toBe(409);
        expect(signOff.body.error.code).toBe('signoff_stale');
      }
      expect(after).toMatchObject({ decision: { kind }, final: false });
    }
  });
});
