import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGodo } from '../../../server/index.js';
import { startTestGodo } from '../../helpers/godo.js';
import { advanceTo, assign, createCall, createMember, createProposal, declareConflict, eu, submitReview, type Member } from './panelSetup.js';

let godo: RunningGodo;
let now = new Date('2027-01-10T00:00:00Z');
let callId: string;
let po: Member;
let reviewer: Member;
let conflictedPd: Member;
let p1: string;
let p2: string;
let reviewedAt: string;

type Entry = { id: string; action: string; at: string; proposalId: string | null; actor: { id: string; name: string }; before: unknown; after: unknown };
const audit = async (who: Member, query = '') => who.client.get<{ entries: Entry[]; nextOffset: number | null }>(`/api/calls/${callId}/audit${query}`);
const tick = (hours: number) => {
  now = new Date(now.getTime() + hours * 3_600_000);
};

beforeAll(async () => {
  godo = await startTestGodo({ clock: () => now });
  ({ callId } = await createCall(godo, 'au'));
  [po, reviewer, conflictedPd] = await Promise.all([
    createMember(godo, callId, 'au-po', 'po', 'JST'),
    createMember(godo, callId, 'au-reviewer', 'reviewer', 'JST'),
    createMember(godo, callId, 'au-pd', 'pd', 'JST'),
  ]);
  p1 = await createProposal(godo, callId);
  p2 = await createProposal(godo, callId);
  await assign(godo, callId, p1, reviewer);
  await assign(godo, callId, p2, reviewer);
  await declareConflict(godo, callId, p2, conflictedPd);
  tick(24);
  await advanceTo(godo, po, callId, 'review');
  tick(24);
  reviewedAt = now.toISOString();
  await submitReview(reviewer, p1, eu(4, 4, 4));
  await submitReview(reviewer, p2, eu(3, 3, 3));
  tick(24);
  await advanceTo(godo, po, callId, 'panel');
  const consensus = await po.client.put(`/api/proposals/${p2}/consensus`, { criteria: { excellence: { score: 3 } }, version: 0 });
  expect(consensus.status).toBe(200);
});
afterAll(async () => {
  await godo?.close();
});

describe('GET /api/calls/:callId/audit', () => {
  it('lists every change newest first, with actor name, time, before and after', async () => {
    const res = await audit(po);
    expect(res.status).toBe(200);
    const actions = res.body.entries.map((e) => e.action);
    expect(actions).toEqual(['consensus.updated', 'phase.changed', 'review.submitted', 'review.submitted', 'phase.changed', 'call.created']);
    const [consensus] = res.body.entries;
    expect(consensus).toMatchObject({ proposalId: p2, actor: { id: po.id, name: 'au-po' }, before: null, after: { criteria: { excellence: { score: 3 } } } });
    expect(res.body.entries[1]).toMatchObject({ before: { phase: 'review' }, after: { phase: 'panel' } });
    expect(res.body.nextOffset).toBeNull();
  });

  it('filters by action, proposal, actor and time window', async () => {
    expect((await audit(po, '?action=review.submitted')).body.entries.map((e) => e.proposalId)).toEqual([p2, p1]);
    expect((await audit(po, `?proposalId=${p1}`)).body.entries.map((e) => e.action)).toEqual(['review.submitted']);
    const byReviewer = (await audit(po, `?actorId=${reviewer.id}`)).body.entries;
    expect(byReviewer.every((e) => e.actor.id === reviewer.id)).toBe(true);
    expect(byReviewer).toHaveLength(2);
    const windowed = (await audit(po, `?from=${encodeURIComponent(reviewedAt)}&to=${encodeURIComponent(reviewedAt)}`)).body.entries;
    expect(windowed.map((e) => e.action)).toEqual(['review.submitted', 'review.submitted']);
  });

  it('pages with limit and offset', async () => {
    const seen: string[] = [];
    let offset: number | null = 0;
    while (offset !== null) {
      const res = await audit(po, `?limit=4&offset=${offset}`);
      expect(res.body.entries.length).toBeLessThanOrEqual(4);
      seen.push(...res.body.entries.map((e) => e.id));
      offset = res.body.nextOffset;
    }
    expect(seen).toEqual((await audit(po)).body.entries.map((e) => e.id));
  });

  it('removes entries about proposals the reader is conflicted with', async () => {
    const res = await audit(conflictedPd);
    expect(res.status).toBe(200);
    expect(res.text).not.toContain(p2);
    expect(res.body.entries.map((e) => e.action)).toEqual(['phase.changed', 'review.submitted', 'phase.changed', 'call.created']);
    expect((await audit(conflictedPd, `?proposalId=${p2}`)).body.entries).toEqual([]);
  });

  it('is for staff: 403 for a reviewer, 404 outside the call', async () => {
    expect((await audit(reviewer)).status).toBe(403);
    const outsider = await createMember(godo, null, 'au-outsider', null);
    expect((await audit(outsider)).status).toBe(404);
  });

  it('refuses malformed or injected query parameters with 400', async () => {
    for (const query of [
      '?action[$gt]=',
      '?action=review.submitted&action=phase.changed',
      '?proposalId=not-an-id',
      '?limit=0',
      '?limit=1000',
      '?limit=abc',
      '?offset=-1',
      '?from=yesterday',
      '?sort=at',
    ]) {
      const res = await audit(po, query);
      expect(res.status, query).toBe(400);
      expect(res.body).toMatchObject({ error: { code: 'validation_failed' } });
    }
  });
});
