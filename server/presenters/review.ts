import type { ReviewDto } from '../../shared/dto/review.js';
import type { ReviewStatus } from '../../shared/enums.js';
import type { Criterion } from '../../shared/schemas/call.js';
import { weightedTotal } from '../domain/totals.js';

/** A review document as read with `.lean()`. */
export interface ReviewDoc {
  _id: unknown;
  proposalId: unknown;
  reviewerId: unknown;
  agency: string;
  scores?: unknown;
  comments?: unknown;
  overallComment?: string | null;
  confidence?: number | null;
  status?: string | null;
  submittedAt?: Date | null;
  updatedAt?: Date | null;
  version?: number | null;
}

/** The reviewer as shown next to their review. */
export interface ReviewerInfo {
  id: string;
  name: string;
  agency: string;
}

/**
 * A review as the API shows it: scores, comments, status, version, the reviewer's name and agency,
 * and the weighted total (null until every criterion is scored).
 */
export function presentReview(review: ReviewDoc, reviewer: ReviewerInfo, criteria: readonly Criterion[]): ReviewDto {
  const scores = (review.scores ?? {}) as Record<string, number>;
  return {
    id: String(review._id),
    proposalId: String(review.proposalId),
    reviewer,
    agency: review.agency,
    scores,
    comments: (review.comments ?? {}) as Record<string, string>,
    overallComment: review.overallComment || null,
    confidence: review.confidence ?? null,
    status: (review.status ?? 'draft') as ReviewStatus,
    submittedAt: review.submittedAt ? review.submittedAt.toISOString() : null,
    updatedAt: review.updatedAt ? review.updatedAt.toISOString() : null,
    version: review.version ?? 0,
    weightedTotal: weightedTotal(criteria, scores),
  };
}
export type { ReviewDto };
