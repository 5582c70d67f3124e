import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGodo } from '../../../server/index.js';
import { startTestGodo } from '../../helpers/godo.js';
import { advanceTo, assign, createCall, createMember, createProposal, declareConflict, eu, storeReview, type Member } from './panelSetup.js';

let godo: RunningGodo;
let callId: string;
let po: Member;
let officer: Member;
let reviewer: Member;
let observer: Member;
let conflictedPd: Member;
let p1: string;
let p2: string;
let p3: string;
let p4: string;

const url = () => `/api/calls/${callId}/ranking`;
const ids = (entries: { proposalId: string }[]) => entries.map((entry) => entry.proposalId);

beforeAll(async () => {
  godo = await startTestGodo();
  ({ callId } = await createCall(godo, 'rk'));
  let j1: Member, j2: Member, a1: Member, a2: Member;
  [po, officer, reviewer, observer, conflictedPd, j1, j2, a1, a2] = await Promise.all([
    createMember(godo, callId, 'rk-po', 'po', 'JST'),
    createMember(godo, callId, 'rk-officer', 'officer', 'ANR'),
    createMember(godo, callId, 'rk-reviewer', 'reviewer', 'JST'),
    createMember(godo, callId, 'rk-observer', 'observer'),
    createMember(godo, callId, 'rk-pd', 'pd', 'JST'),
    createMember(godo, callId, 'rk-j1', 'reviewer', 'JST'),
    createMember(godo, callId, 'rk-j2', 'reviewer', 'JST'),
    createMember(godo, callId, 'rk-a1', 'reviewer', 'ANR'),
    createMember(godo, callId, 'rk-a2', 'reviewer', 'ANR'),
  ]);
  // Each asks JST ¥120M and ANR €900k over three years: two fit each envelope (¥300M, €2M).
  const perYear = { JST: 40_000_000, ANR: 300_000 };
  [p1, p2, p3, p4] = [
    await createProposal(godo, callId, { perYear }),
    await createProposal(godo, callId, { perYear }),
    await createProposal(godo, callId, { perYear }),
    await createProposal(godo, callId, { perYear }),
  ];
  await advanceTo(godo, po, callId, 'review');
  const reviews: [string, Member, number[]][] = [
    [p1, j1, [5, 5, 5]], [p1, a1, [3, 3, 3]], // 15 and 9: mean 12
    [p2, j1, [4, 4, 4]], [p2, a1, [4, 4, 4.5]], // 12 and 12.5: mean 12.25
    [p3, j2, [3, 3, 3]], [p3, a2, [5, 5, 4]], // 9 and 14: mean 11.5
    [p4, j2, [2, 2, 2]], [p4, a2, [2, 2, 2]], // 6 and 6
  ];
  for (const [proposalId, who, [a, b, c]] of reviews) {
    await assign(godo, callId, proposalId, who);
    await storeReview(godo, callId, proposalId, who, eu(a, b, c));
  }
  await declareConflict(godo, callId, p2, conflictedPd);
});
afterAll(async () => {
  await godo?.close();
});

/** The joint list's version now (every write must name it: a missing one is a 400, a stale one a 409). */
const listVersion = async (): Promise<number> => (await po.client.get(url())).body.ranking.version;

describe('GET /api/calls/:callId/ranking', () => {
  it('is closed to reviewers during review, open to staff', async () => {
    expect((await reviewer.client.get(url())).status).toBe(403);
    expect((await po.client.get(url())).status).toBe(200);
    await advanceTo(godo, po, callId, 'panel');
  });

  it("shows each agency's ranking side by side by its own reviewers' weighted totals", async () => {
    const { ranking } = (await po.client.get(url())).body;
    expect(ids(ranking.agencies.JST)).toEqual([p1, p2, p3, p4]);
    expect(ranking.agencies.JST.map((e: { score: number }) => e.score)).toEqual([15, 12, 9, 6]);
    expect(ids(ranking.agencies.ANR)).toEqual([p3, p2, p1, p4]);
    expect(ranking.agencies.ANR.map((e: { score: number; rank: number }) => [e.rank, e.score])).toEqual([[1, 14], [2, 12.5], [3, 9], [4, 6]]);
  });

  it('starts the joint list from the overall scores, with each agency funding line from its envelope', async () => {
    const { ranking } = (await po.client.get(url())).body;
    expect(ranking).toMatchObject({ version: 0, initialised: false, moves: [], tiers: [] });
    expect(ranking.joint.map((e: { proposalId: string; position: number; score: number }) => [e.position, e.proposalId, e.score])).toEqual([
      [1, p2, 12.25],
      [2, p1, 12],
      [3, p3, 11.5],
      [4, p4, 6],
    ]);
    expect(ranking.joint.map((e: { aboveAllLines: boolean }) => e.aboveAllLines)).toEqual([true, true, false, false]);
    expect(ranking.joint[0].funding).toEqual({ JST: { requested: 120_000_000, within: true }, ANR: { requested: 900_000, within: true } });
    expect(ranking.fundingLines).toEqual([
      { agency: 'JST', currency: 'JPY', envelope: 300_000_000, committed: 240_000_000, remaining: 60_000_000, lastWithin: 2, firstBelow: 3 },
      { agency: 'ANR', currency: 'EUR', envelope: 2_000_000, committed: 1_800_000, remaining: 200_000, lastWithin: 2, firstBelow: 3 },
    ]);
  });

  it('is open to reviewers and observers from the panel on, and 404 outside the call', async () => {
    expect((await reviewer.client.get(url())).status).toBe(200);
    expect((await observer.client.get(url())).status).toBe(200);
    const outsider = await createMember(godo, null, 'rk-outsider', null);
    expect((await outsider.client.get(url())).status).toBe(404);
  });
});

describe('POST /api/calls/:callId/ranking/moves', () => {
  it('moves a proposal and records the move with its reason, actor and time', async () => {
    const res = await officer.client.post(`${url()}/moves`, { proposalId: p3, toPosition: 1, reason: 'ANR ranks it first; strongest team', version: 0 });
    expect(res.status).toBe(200);
    const { ranking } = res.body;
    expect(ids(ranking.joint)).toEqual([p3, p2, p1, p4]);
    expect(ranking).toMatchObject({ version: 1, initialised: true });
    expect(ranking.moves).toEqual([
      {
        proposalId: p3,
        ref: expect.stringMatching(/^SICORP-/),
        fromPosition: 3,
        toPosition: 1,
        reason: 'ANR ranks it first; strongest team',
        by: { id: officer.id, name: 'rk-officer' },
        at: expect.any(String),
      },
    ]);
    expect(ranking.joint.map((e: { aboveAllLines: boolean }) => e.aboveAllLines)).toEqual([true, true, false, false]);
    const audit = await godo.models.Audit.findOne({ callId, action: 'ranking.moved' }).lean();
    expect(audit).toMatchObject({ before: { position: 3 }, after: { position: 1, reason: 'ANR ranks it first; strongest team' } });
    expect(String(audit!.proposalId)).toBe(p3);
  });

  it('requires a reason: missing, blank or not a string is a 400', async () => {
    for (const body of [{ proposalId: p1, toPosition: 1, version: 1 }, { proposalId: p1, toPosition: 1, reason: '   ', version: 1 }, { proposalId: p1, toPosition: 1, reason: { $gt: '' }, version: 1 }]) {
      const res = await po.client.post(`${url()}/moves`, body);
      expect(res.status).toBe(400);
      expect(res.body.error.fields).toHaveProperty(['reason']);
    }
  });

  it('refuses positions outside the list and a move to where it already is', async () => {
    const far = await po.client.post(`${url()}/moves`, { proposalId: p1, toPosition: 5, reason: 'x', version: await listVersion() });
    expect(far.status).toBe(400);
    expect(far.body.error.code).toBe('ranking_move_invalid');
    const same = await po.client.post(`${url()}/moves`, { proposalId: p1, toPosition: 3, reason: 'x', version: await listVersion() });
    expect(same.body.error.code).toBe('ranking_move_invalid');
  });

  it('refuses a stale version with 409; of two concurrent moves on one version one wins', async () => {
    const stale = await po.client.post(`${url()}/moves`, { proposalId: p4, toPosition: 3, reason: 'x', version: 0 });
    expect(stale.status).toBe(409);
    const [a, b] = await Promise.all([
      po.client.post(`${url()}/moves`, { proposalId: p4, toPosition: 3, reason: 'JST budget fits', version: 1 }),
      officer.client.post(`${url()}/moves`, { proposalId: p1, toPosition: 1, reason: 'joint strength', version: 1 }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const { ranking } = (await po.client.get(url())).body;
    expect(ranking.version).toBe(2);
    expect(ranking.moves).toHaveLength(2);
  });

  it('is for moderators only', async () => {
    expect((await reviewer.client.post(`${url()}/moves`, { proposalId: p1, toPosition: 2, reason: 'x', version: await listVersion() })).status).toBe(403);
    expect((await observer.client.post(`${url()}/moves`, { proposalId: p1, toPosition: 2, reason: 'x', version: await listVersion() })).status).toBe(403);
  });
});

describe('PUT /api/calls/:callId/ranking/tiers', () => {
  it('cuts the joint list into tiers', async () => {
    const { version } = (await po.client.get(url())).body.ranking;
    const res = await po.client.put(`${url()}/tiers`, { tiers: [{ label: 'A', lastPosition: 2 }, { label: 'B', lastPosition: 3 }], version });
    expect(res.status).toBe(200);
    expect(res.body.ranking.tiers).toEqual([{ label: 'A', lastPosition: 2 }, { label: 'B', lastPosition: 3 }]);
    expect(res.body.ranking.joint.map((e: { tier: string | null }) => e.tier)).toEqual(['A', 'A', 'B', null]);
    expect(await godo.models.Audit.countDocuments({ callId, action: 'ranking.tiersSet' })).toBe(1);
  });

  it('refuses cuts that do not go down the list, and repeated labels', async () => {
    const down = await po.client.put(`${url()}/tiers`, { tiers: [{ label: 'A', lastPosition: 2 }, { label: 'B', lastPosition: 2 }], version: await listVersion() });
    expect(down.status).toBe(400);
    expect(down.body.error.code).toBe('tiers_invalid');
    const twice = await po.client.put(`${url()}/tiers`, { tiers: [{ label: 'A', lastPosition: 1 }, { label: 'A', lastPosition: 2 }], version: await listVersion() });
    expect(twice.body.error.code).toBe('tiers_invalid');
  });
});

describe('the ranking for a person with a conflict', () => {
  it('leaves the conflicted proposal out entirely, renumbering positions and tier cuts', async () => {
    const full = (await po.client.get(url())).body.ranking;
    const res = await conflictedPd.client.get(url());
    expect(res.status).toBe(200);
    expect(res.text).not.toContain(p2);
    const { ranking } = res.body;
    const expected = ids(full.joint).filter((id) => id !== p2);
    expect(ids(ranking.joint)).toEqual(expected);
    expect(ranking.joint.map((e: { position: number }) => e.position)).toEqual([1, 2, 3]);
    expect(ids(ranking.agencies.JST)).toEqual([p1, p3, p4]);
    expect(ranking.agencies.JST.map((e: { rank: number }) => e.rank)).toEqual([1, 2, 3]);
    expect(ranking.moves.every((m: { fromPosition: number | null }) => m.fromPosition === null)).toBe(true);
  });

  it('answers 404 when they try to move it, and maps their positions onto the full list otherwise', async () => {
    const before = (await po.client.get(url())).body.ranking;
    const hidden = await conflictedPd.client.post(`${url()}/moves`, { proposalId: p2, toPosition: 1, reason: 'x', version: before.version });
    expect(hidden.status).toBe(404);
    const visible = ids(before.joint).filter((id) => id !== p2);
    const last = visible[visible.length - 1];
    const res = await conflictedPd.client.post(`${url()}/moves`, { proposalId: last, toPosition: 1, reason: 'top in the PD view', version: before.version });
    expect(res.status).toBe(200);
    expect(ids(res.body.ranking.joint)).toEqual([last, ...visible.slice(0, -1)]);
    const after = (await po.client.get(url())).body.ranking;
    expect(ids(after.joint).filter((id) => id !== p2)).toEqual([last, ...visible.slice(0, -1)]);
    expect(ids(after.joint)[0]).toBe(last);
  });
});
