import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../server/domain/domainError';
import {
  applyReviewPut,
  assertCanEditReview,
  canEditReview,
  canSeeOthersReviews,
  reviewProblems,
  visibleReviews,
  type Review,
} from '../../../server/domain/reviews';
import type { ReviewPutInput } from '../../../shared/schemas/review';
import { EU_CRITERIA, nihCriterion } from './fixtures';

const now = new Date('2025-03-01T00:00:00Z');
const later = new Date('2025-03-02T00:00:00Z');
const body = (overrides: Partial<ReviewPutInput> = {}): ReviewPutInput => ({
  scores: { excellence: 4, impact: 3.5, implementation: 3 },
  comments: { excellence: 'clear aims', impact: '' },
  confidence: 4,
  submit: false,
  version: 0,
  ...overrides,
});
const put = (existing: Review | null, b: ReviewPutInput, phase: 'review' | 'panel' = 'review', reopened = false) =>
  applyReviewPut({ criteria: EU_CRITERIA, phase, reopened, existing, body: b, proposalId: 'p1', reviewer: { id: 'r1', agency: 'JST' }, now });

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  return undefined;
}

describe('seeing others’ reviews', () => {
  const reviews = [
    { reviewerId: 'me', status: 'draft' as const },
    { reviewerId: 'a', status: 'submitted' as const },
    { reviewerId: 'b', status: 'draft' as const },
  ];

  it('hides others’ reviews until your own is submitted', () => {
    expect(canSeeOthersReviews('review', null)).toBe(false);
    expect(canSeeOthersReviews('review', { status: 'draft' })).toBe(false);
    expect(canSeeOthersReviews('review', { status: 'submitted' })).toBe(true);
    expect(visibleReviews(reviews, 'me', 'review').map((r) => r.reviewerId)).toEqual(['me']);
  });

  it('shows others’ submitted reviews after you submit', () => {
    const mine = [{ ...reviews[0], status: 'submitted' as const }, reviews[1], reviews[2]];
    expect(visibleReviews(mine, 'me', 'review').map((r) => r.reviewerId)).toEqual(['me', 'a']);
  });

  it('opens them to everyone from the panel on, never others’ drafts', () => {
    expect(canSeeOthersReviews('panel', null)).toBe(true);
    expect(canSeeOthersReviews('decided', { status: 'draft' })).toBe(true);
    expect(visibleReviews(reviews, 'me', 'panel').map((r) => r.reviewerId)).toEqual(['me', 'a']);
    expect(visibleReviews(reviews, 'outsider', 'finalization').map((r) => r.reviewerId)).toEqual(['a']);
  });
});

describe('when reviews can be edited', () => {
  it('only in the review phase, or in the panel when reopened', () => {
    expect(canEditReview('review')).toBe(true);
    expect(canEditReview('setup')).toBe(false);
    expect(canEditReview('panel')).toBe(false);
    expect(canEditReview('panel', true)).toBe(true);
    expect(canEditReview('finalization', true)).toBe(false);
    expect(codeOf(() => assertCanEditReview('decided'))).toBe('phase_closed');
  });

  it('refuses a save outside those phases', () => {
    expect(codeOf(() => put(null, body(), 'panel'))).toBe('phase_closed');
    expect(put(null, body(), 'panel', true).status).toBe('draft');
  });
});

describe('review contents against the call', () => {
  it('accepts half marks where allowed and rejects unknown criteria', () => {
    expect(reviewProblems(EU_CRITERIA, body(), false)).toEqual([]);
    const problems = reviewProblems(EU_CRITERIA, { scores: { novelty: 3 }, comments: { style: 'x' } }, false);
    expect(problems.map((p) => [p.code, p.path])).toEqual([
      ['unknown_criterion', 'scores.novelty'],
      ['unknown_criterion', 'comments.style'],
    ]);
  });

  it('checks scores on their scale, including lower-is-better 1–9', () => {
    const nih = [nihCriterion('impact')];
    expect(reviewProblems(nih, { scores: { impact: 1 }, comments: {} }, true)).toEqual([]);
    expect(reviewProblems(nih, { scores: { impact: 0 }, comments: {} }, false)[0].code).toBe('score_out_of_range');
    expect(reviewProblems(nih, { scores: { impact: 2.5 }, comments: {} }, false)[0].code).toBe('score_invalid_step');
  });

  it('lets a draft leave criteria unscored but not a submission', () => {
    const partial = { scores: { excellence: 4 }, comments: {} };
    expect(reviewProblems(EU_CRITERIA, partial, false)).toEqual([]);
    expect(reviewProblems(EU_CRITERIA, partial, true).map((p) => [p.code, p.path])).toEqual([
      ['review_incomplete', 'scores.impact'],
      ['review_incomplete', 'scores.implementation'],
    ]);
  });
});

describe('saving a review', () => {
  it('creates a draft at version 1, dropping empty comments', () => {
    const saved = put(null, body());
    expect(saved).toEqual({
      proposalId: 'p1',
      reviewerId: 'r1',
      agency: 'JST',
      scores: { excellence: 4, impact: 3.5, implementation: 3 },
      comments: { excellence: 'clear aims' },
      confidence: 4,
      status: 'draft',
      version: 1,
      submittedAt: null,
      updatedAt: '2025-03-01T00:00:00.000Z',
    });
  });

  it('submits when complete and records the time', () => {
    const submitted = put(null, body({ submit: true, overallComment: 'good' }));
    expect(submitted).toMatchObject({ status: 'submitted', submittedAt: '2025-03-01T00:00:00.000Z', overallComment: 'good' });
  });

  it('refuses to submit an incomplete review, with every missing field', () => {
    try {
      put(null, body({ scores: { excellence: 4 }, submit: true }));
      expect.unreachable();
    } catch (error) {
      expect((error as DomainError).code).toBe('review_incomplete');
      expect((error as DomainError).fields).toEqual({
        'scores.impact': 'must be scored to submit',
        'scores.implementation': 'must be scored to submit',
      });
    }
  });

  it('keeps a submitted review submitted and complete', () => {
    const submitted = put(null, body({ submit: true }));
    const edited = applyReviewPut({
      criteria: EU_CRITERIA, phase: 'review', existing: submitted, body: body({ scores: { excellence: 5, impact: 4, implementation: 3 }, version: 1 }),
      proposalId: 'p1', reviewer: { id: 'r1', agency: 'JST' }, now: later,
    });
    expect(edited).toMatchObject({ status: 'submitted', version: 2, submittedAt: '2025-03-01T00:00:00.000Z', updatedAt: '2025-03-02T00:00:00.000Z' });
    expect(codeOf(() => put(submitted, body({ scores: { excellence: 5 }, version: 1 })))).toBe('review_incomplete');
  });

  it('detects a stale version', () => {
    const first = put(null, body());
    expect(codeOf(() => put(first, body({ version: 0 })))).toBe('version_conflict');
    expect(put(first, body({ version: 1 })).version).toBe(2);
    expect(codeOf(() => put(null, body({ version: 3 })))).toBe('version_conflict');
  });
});
