import type { Phase, ReviewStatus } from '../../shared/enums';
import type { Criterion } from '../../shared/schemas/call';
import type { ReviewPutInput } from '../../shared/schemas/review';
import { DomainError, throwProblems, type FieldProblem } from './domainError';
import { isAtOrAfter } from './phases';
import { scoreProblem } from './scales';

/** One reviewer's review of one proposal, as stored. */
export interface Review {
  proposalId: string;
  reviewerId: string;
  agency: string;
  scores: Record<string, number>;
  comments: Record<string, string>;
  overallComment?: string;
  confidence: number;
  status: ReviewStatus;
  version: number;
  /** ISO instants. */
  submittedAt: string | null;
  updatedAt: string;
}

/**
 * Whether a reviewer may read others' reviews of a proposal: once their own is submitted (NIH's
 * submit-then-read, HotCRP's rule), or for everyone once the call reaches the panel. Conflicts
 * are handled by the policies, which never let a conflicted person reach this far.
 */
export function canSeeOthersReviews(phase: Phase, own: Pick<Review, 'status'> | null): boolean {
  return own?.status === 'submitted' || isAtOrAfter(phase, 'panel');
}

/**
 * The reviews of one proposal a reviewer may read: their own always; others' submitted reviews
 * when canSeeOthersReviews allows; others' drafts never (a draft is its author's alone).
 */
export function visibleReviews<T extends Pick<Review, 'reviewerId' | 'status'>>(
  reviews: readonly T[],
  viewerId: string,
  phase: Phase,
): T[] {
  const own = reviews.find((review) => review.reviewerId === viewerId) ?? null;
  const seeOthers = canSeeOthersReviews(phase, own);
  return reviews.filter(
    (review) => review.reviewerId === viewerId || (seeOthers && review.status === 'submitted'),
  );
}

/**
 * Whether reviews may be written: in the review phase (including after the PO sends a panel back
 * to review), or in the panel when the PO has reopened this proposal's reviews (`reopened`).
 */
export function canEditReview(phase: Phase, reopened = false): boolean {
  return phase === 'review' || (phase === 'panel' && reopened);
}

/** @throws DomainError `phase_closed` when canEditReview is false. */
export function assertCanEditReview(phase: Phase, reopened = false): void {
  if (!canEditReview(phase, reopened)) {
    throw new DomainError('phase_closed', `reviews cannot be changed in the ${phase} phase`);
  }
}

/**
 * Problems with a review body against the call's criteria: unknown criterion keys in scores or
 * comments, scores off their scale, and, when the review is (being) submitted, unscored criteria.
 */
export function reviewProblems(
  criteria: readonly Criterion[],
  body: Pick<ReviewPutInput, 'scores' | 'comments'>,
  submitted: boolean,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const byKey = new Map(criteria.map((criterion) => [criterion.key, criterion]));
  for (const [key, value] of Object.entries(body.scores)) {
    const criterion = byKey.get(key);
    if (!criterion) {
      problems.push({ code: 'unknown_criterion', path: `scores.${key}`, message: 'is not a criterion of this call' });
      continue;
    }
    const problem = scoreProblem(criterion, value, `scores.${key}`);
    if (problem) problems.push(problem);
  }
  for (const key of Object.keys(body.comments)) {
    if (!byKey.has(key)) {
      problems.push({ code: 'unknown_criterion', path: `comments.${key}`, message: 'is not a criterion of this call' });
    }
  }
  if (submitted) {
    for (const criterion of criteria) {
      if (body.scores[criterion.key] === undefined) {
        problems.push({ code: 'review_incomplete', path: `scores.${criterion.key}`, message: 'must be scored to submit' });
      }
    }
  }
  return problems;
}

/**
 * Applies `PUT /reviews/mine` to the reviewer's current review (null for the first save) and
 * returns the new stored review. A submitted review stays submitted (its author has already seen
 * the others) and so must stay complete; empty comments are dropped.
 * @throws DomainError `phase_closed` outside the editable phases; `version_conflict` when
 *   `body.version` is not the stored version; `unknown_criterion`, `score_out_of_range`,
 *   `score_invalid_step`, `review_incomplete` for the body (every problem in `fields`).
 */
export function applyReviewPut(input: {
  criteria: readonly Criterion[];
  phase: Phase;
  reopened?: boolean;
  existing: Review | null;
  body: ReviewPutInput;
  proposalId: string;
  reviewer: { id: string; agency: string };
  now: Date;
}): Review {
  const { existing, body, now } = input;
  assertCanEditReview(input.phase, input.reopened);
  const storedVersion = existing?.version ?? 0;
  if (body.version !== storedVersion) {
    throw new DomainError('version_conflict', 'this review was changed elsewhere; reload it before saving', {
      version: `is ${storedVersion} on the server`,
    });
  }
  const submitted = body.submit || existing?.status === 'submitted';
  throwProblems(reviewProblems(input.criteria, body, submitted));
  const comments = Object.fromEntries(Object.entries(body.comments).filter(([, comment]) => comment !== ''));
  const at = now.toISOString();
  return {
    proposalId: input.proposalId,
    reviewerId: input.reviewer.id,
    agency: input.reviewer.agency,
    scores: { ...body.scores },
    comments,
    ...(body.overallComment ? { overallComment: body.overallComment } : {}),
    confidence: body.confidence,
    status: submitted ? 'submitted' : 'draft',
    version: storedVersion + 1,
    submittedAt: existing?.submittedAt ?? (submitted ? at : null),
    updatedAt: at,
  };
}
