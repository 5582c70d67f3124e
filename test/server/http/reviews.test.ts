import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGodo } from '../../../server/index.js';
import { bilateralCallInput } from '../../helpers/fixtures.js';
import { startTestGodo } from '../../helpers/godo.js';
import { advanceTo, assign, createCall, createMember, createProposal, declareConflict, eu, submitReview, type Member } from './panelSetup.js';

let godo: RunningGodo;
let callId: string;
let proposalId: string;
let po: Member;
let jst1: Member;
let jst2: Member;
let anr1: Member;
let unassigned: Member;
let conflicted: Member;
let observer: Member;

const path = () => `/api/proposals/${proposalId}/reviews/mine`;
const body = (overrides: Record<string, unknown> = {}) => ({
  scores: eu(4, 3.5, 3),
  comments: { excellence: 'Strong team.', impact: 'Clear path to use.' },
  confidence: 4,
  submit: false,
  version: 0,
  ...overrides,
});

beforeAll(async () => {
  godo = await startTestGodo();
  // Implementation allows whole marks only, to check per-criterion half-mark rules.
  const input = bilateralCallInput();
  input.criteria[2] = { ...input.criteria[2], halfMarks: false };
  ({ callId } = await createCall(godo, 'rv', input));
  [po, jst1, jst2, anr1, unassigned, conflicted, observer] = await Promise.all([
    createMember(godo, callId, 'rv-po', 'po', 'JST'),
    createMember(godo, callId, 'rv-jst-1', 'reviewer', 'JST'),
    createMember(godo, callId, 'rv-jst-2', 'reviewer', 'JST'),
    createMember(godo, callId, 'rv-anr-1', 'reviewer', 'ANR'),
    createMember(godo, callId, 'rv-unassigned', 'reviewer', 'ANR'),
    createMember(godo, callId, 'rv-conflicted', 'reviewer', 'ANR'),
    createMember(godo, callId, 'rv-observer', 'observer'),
  ]);
  proposalId = await createProposal(godo, callId);
  for (const reviewer of [jst1, jst2, anr1, conflicted]) await assign(godo, callId, proposalId, reviewer);
  await declareConflict(godo, callId, proposalId, conflicted);
  await advanceTo(godo, po, callId, 'review');
});
afterAll(async () => {
  await godo?.close();
});

describe('PUT /api/proposals/:proposalId/reviews/mine', () => {
  it('saves a draft, then updates it on the version it was based on', async () => {
    const first = await jst1.client.put(path(), body());
    expect(first.status).toBe(200);
    expect(first.body.review).toMatchObject({
      status: 'draft',
      version: 1,
      agency: 'JST',
      scores: eu(4, 3.5, 3),
      reviewer: { id: jst1.id, name: 'rv-jst-1', agency: 'JST' },
      weightedTotal: 10.5,
      submittedAt: null,
    });
    const second = await jst1.client.put(path(), body({ scores: { excellence: 4.5 }, version: 1 }));
    expect(second.status).toBe(200);
    expect(second.body.review).toMatchObject({ version: 2, scores: { excellence: 4.5 }, weightedTotal: null });
    const mine = await jst1.client.get(path());
    expect(mine.body.review.version).toBe(2);
  });

  it('refuses a stale version with 409 and leaves the review as it was', async () => {
    const res = await jst1.client.put(path(), body({ version: 1 }));
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('version_conflict');
    expect((await jst1.client.get(path())).body.review.scores).toEqual({ excellence: 4.5 });
  });

  it('of two concurrent saves on the same version, accepts one and refuses the other with 409', async () => {
    const current = (await jst1.client.get(path())).body.review.version;
    const [a, b] = await Promise.all([
      jst1.client.put(path(), body({ scores: eu(3, 3, 3), version: current })),
      jst1.client.put(path(), body({ scores: eu(5, 5, 5), version: current })),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const winner = a.status === 200 ? a : b;
    const stored = (await jst1.client.get(path())).body.review;
    expect(stored.version).toBe(current + 1);
    expect(stored.scores).toEqual(winner.body.review.scores);
  });

  it('of two concurrent first saves, creates one review and refuses the other with 409', async () => {
    const [a, b] = await Promise.all([jst2.client.put(path(), body({ version: 0 })), jst2.client.put(path(), body({ version: 0 }))]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect(await godo.models.Review.countDocuments({ proposalId, reviewerId: jst2.id })).toBe(1);
  });

  it('checks scores against each criterion scale: range, half marks only where allowed', async () => {
    const outOfRange = await anr1.client.put(path(), body({ scores: { excellence: 5.5 } }));
    expect(outOfRange.status).toBe(400);
    expect(outOfRange.body.error.code).toBe('score_out_of_range');
    expect(outOfRange.body.error.fields['scores.excellence']).toMatch(/between 0 and 5/);
    const half = await anr1.client.put(path(), body({ scores: { implementation: 3.5 } }));
    expect(half.status).toBe(400);
    expect(half.body.error.code).toBe('score_invalid_step');
    expect(half.body.error.fields).toHaveProperty(['scores.implementation']);
    const quarter = await anr1.client.put(path(), body({ scores: { impact: 3.25 } }));
    expect(quarter.body.error.code).toBe('score_invalid_step');
    const halfAllowed = await anr1.client.put(path(), body({ scores: { impact: 3.5 } }));
    expect(halfAllowed.status).toBe(200);
  });

  it('names an unknown criterion in a 400', async () => {
    const res = await anr1.client.put(path(), body({ scores: { novelty: 3 }, version: 1 }));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('unknown_criterion');
    expect(res.body.error.message).toContain('novelty');
    expect(res.body.error.fields).toHaveProperty(['scores.novelty']);
    const comment = await anr1.client.put(path(), body({ scores: {}, comments: { novelty: 'x' }, version: 1 }));
    expect(comment.body.error.fields).toHaveProperty(['comments.novelty']);
  });

  it('requires every criterion to submit, naming the missing ones', async () => {
    const res = await anr1.client.put(path(), body({ scores: { excellence: 3 }, submit: true, version: 1 }));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('review_incomplete');
    expect(Object.keys(res.body.error.fields).sort()).toEqual(['scores.impact', 'scores.implementation']);
  });

  it('refuses operator objects and unknown fields in the body with 400', async () => {
    for (const bad of [
      body({ scores: { excellence: { $gt: '' } } }),
      body({ comments: { excellence: { $gt: '' } } }),
      body({ overallComment: { $gt: '' } }),
      body({ confidence: 6 }),
      { ...body(), status: 'submitted' },
    ]) {
      const res = await anr1.client.put(path(), bad);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
  });

  it('is for assigned reviewers only: 403 for others in the call, 404 for the conflicted and outsiders', async () => {
    expect((await unassigned.client.put(path(), body())).status).toBe(403);
    expect((await observer.client.put(path(), body())).status).toBe(403);
    expect((await po.client.put(path(), body())).status).toBe(403);
    const hidden = await conflicted.client.put(path(), body());
    expect(hidden.status).toBe(404);
    expect(hidden.body.error.code).toBe('not_found');
    expect((await conflicted.client.get(path())).status).toBe(404);
    const outsider = await createMember(godo, null, 'rv-outsider', null);
    expect((await outsider.client.put(path(), body())).status).toBe(404);
  });

  it('writes an audit entry with before and after', async () => {
    const entries = await godo.models.Audit.find({ proposalId, actorId: jst1.id, action: 'review.saved' }).sort({ _id: 1 }).lean();
    expect(entries.length).toBeGreaterThanOrEqual(2);
    expect(entries[0].before).toBeNull();
    expect(entries[0].after).toMatchObject({ scores: eu(4, 3.5, 3), status: 'draft', version: 1 });
    expect(entries[1].before).toMatchObject({ version: 1 });
  });
});

describe('GET /api/proposals/:proposalId/reviews (submit, then read)', () => {
  it("keeps others' reviews from a reviewer until their own is submitted", async () => {
    const res = await anr1.client.get(`/api/proposals/${proposalId}/reviews`);
    expect(res.status).toBe(403);
  });

  it("shows others' submitted reviews with name and agency after submitting, never their drafts", async () => {
    await submitReview(jst1, proposalId, eu(4.5, 4, 3));
    const anrReview = await submitReview(anr1, proposalId, eu(2.5, 3, 4));
    expect(anrReview).toMatchObject({ status: 'submitted', submittedAt: expect.any(String) });
    const res = await anr1.client.get(`/api/proposals/${proposalId}/reviews`);
    expect(res.status).toBe(200);
    // jst2 has only a draft: it stays hidden.
    expect(res.body.reviews.map((r: { reviewer: { name: string; agency: string } }) => [r.reviewer.name, r.reviewer.agency])).toEqual([
      ['rv-jst-1', 'JST'],
      ['rv-anr-1', 'ANR'],
    ]);
    expect(res.body.reviews[0]).toMatchObject({ scores: eu(4.5, 4, 3), status: 'submitted', weightedTotal: 11.5 });
  });

  it('shows staff the submitted reviews only; a reviewer with a draft sees just their own', async () => {
    const staff = await po.client.get(`/api/proposals/${proposalId}/reviews`);
    expect(staff.body.reviews.map((r: { status: string }) => r.status)).toEqual(['submitted', 'submitted']);
    expect((await jst2.client.get(`/api/proposals/${proposalId}/reviews`)).status).toBe(403);
    expect((await conflicted.client.get(`/api/proposals/${proposalId}/reviews`)).status).toBe(404);
  });

  it('keeps a submitted review submitted and complete when it is edited', async () => {
    const current = (await anr1.client.get(path())).body.review.version;
    const res = await anr1.client.put(path(), body({ scores: { excellence: 3 }, submit: false, version: current }));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('review_incomplete');
    const ok = await anr1.client.put(path(), body({ scores: eu(3, 3, 4), submit: false, version: current }));
    expect(ok.body.review.status).toBe('submitted');
  });

  it('opens all submitted reviews to every member from the panel phase, and closes writing', async () => {
    await advanceTo(godo, po, callId, 'panel');
    const res = await jst2.client.get(`/api/proposals/${proposalId}/reviews`);
    expect(res.status).toBe(200);
    expect(res.body.reviews.map((r: { reviewer: { name: string }; status: string }) => `${r.reviewer.name}:${r.status}`)).toEqual([
      'rv-jst-1:submitted',
      'rv-jst-2:draft',
      'rv-anr-1:submitted',
    ]);
    expect((await observer.client.get(`/api/proposals/${proposalId}/reviews`)).body.reviews).toHaveLength(2);
    const closed = await jst2.client.put(path(), body({ version: 1 }));
    expect(closed.status).toBe(403);
  });
});
