import type { ReviewStatus } from '../../shared/enums';
import type { CallCreateInput } from '../../shared/schemas/call';
import { meetsThreshold, reaches } from './scales';
import { largestGap, summarise, type ScoreStats } from './statistics';
import { totalScale, weightedTotal } from './totals';

/** A review as reconciliation sees it: whose side it is on, its status and its scores. */
export interface ScoredReview {
  reviewerId: string;
  agency: string;
  status: ReviewStatus;
  scores: Readonly<Partial<Record<string, number>>>;
}

/** What reconciliation needs to know about a call. */
export type ReconciliationCall = Pick<CallCreateInput, 'agencies' | 'criteria' | 'overallThreshold' | 'flagThresholds'>;

/** The gap between agency means and the two agencies it lies between. */
export interface AgencyGap {
  gap: number;
  highest: string;
  lowest: string;
}

/** Statistics of one quantity (a criterion, or the weighted total) overall and per agency. */
export interface SidedStats {
  overall: ScoreStats;
  /** Every call agency appears (n = 0 when none of its reviewers submitted). */
  byAgency: Record<string, ScoreStats>;
  /** Null when fewer than two agencies have submitted reviews. */
  agencyGap: AgencyGap | null;
  /** Mean against the threshold (direction-aware); true without a threshold; null with no reviews. */
  passes: boolean | null;
}

/** Statistics, verdict and agency split for one criterion. */
export interface CriterionReconciliation extends SidedStats {
  key: string;
}

/** A discrepancy to discuss. `criterion: null` is about the weighted total. */
export type ReconciliationFlag =
  | { kind: 'spread'; criterion: string; value: number; threshold: number }
  | { kind: 'agency_gap'; criterion: string; value: number; threshold: number; highest: string; lowest: string }
  | { kind: 'below_threshold'; criterion: string | null; value: number; threshold: number }
  | { kind: 'missing_reviews'; reviewerIds: string[] };

/** Everything the reconciliation view shows for one proposal. */
export interface ProposalReconciliation {
  /** Submitted reviews counted (drafts never count). */
  submitted: number;
  /** Assigned reviewers without a submitted review. */
  missingReviewerIds: string[];
  criteria: CriterionReconciliation[];
  /** Weighted totals of the reviews that scored every criterion. */
  total: SidedStats;
  /** Every criterion passes and the total reaches the overall threshold; null while undecidable. */
  passes: boolean | null;
  flags: ReconciliationFlag[];
}

function sided(
  call: ReconciliationCall,
  values: readonly { agency: string; value: number }[],
  threshold: number | null,
): SidedStats {
  const scale = totalScale(call.criteria);
  const agencies = new Set([...call.agencies.map((agency) => agency.code), ...values.map((entry) => entry.agency)]);
  const byAgency: Record<string, ScoreStats> = {};
  for (const agency of agencies) {
    byAgency[agency] = summarise(values.filter((entry) => entry.agency === agency).map((entry) => entry.value));
  }
  const overall = summarise(values.map((entry) => entry.value));
  const passes =
    overall.mean === null ? null : threshold === null ? true : meetsThreshold(scale, overall.mean, threshold);
  return { overall, byAgency, agencyGap: largestGap(byAgency), passes };
}

/**
 * Reconciles one proposal's reviews: per criterion and for the weighted total, n, mean, median,
 * min, max, spread and population sd, overall and per agency, the cross-agency gap, pass/fail
 * against the call's thresholds (direction-aware), and flags: spread ≥ flagThresholds.spread,
 * agency gap ≥ flagThresholds.agencyGap, a mean below its threshold, missing reviews.
 * Drafts are ignored; with no submitted review every statistic is empty and `passes` is null.
 * @throws DomainError `scale_mismatch` when the call's criteria mix scale directions.
 */
export function reconcile(
  call: ReconciliationCall,
  reviews: readonly ScoredReview[],
  assignedReviewerIds: readonly string[] = [],
): ProposalReconciliation {
  const submitted = reviews.filter((review) => review.status === 'submitted');
  const flags: ReconciliationFlag[] = [];
  const criteria = call.criteria.map((criterion): CriterionReconciliation => {
    const values = submitted.flatMap((review) => {
      const value = review.scores[criterion.key];
      return value === undefined ? [] : [{ agency: review.agency, value }];
    });
    const stats = sided(call, values, criterion.threshold);
    const { spread, mean } = stats.overall;
    if (spread !== null && reaches(spread, call.flagThresholds.spread)) {
      flags.push({ kind: 'spread', criterion: criterion.key, value: spread, threshold: call.flagThresholds.spread });
    }
    if (stats.agencyGap && reaches(stats.agencyGap.gap, call.flagThresholds.agencyGap)) {
      const { gap, highest, lowest } = stats.agencyGap;
      flags.push({ kind: 'agency_gap', criterion: criterion.key, value: gap, threshold: call.flagThresholds.agencyGap, highest, lowest });
    }
    if (stats.passes === false && mean !== null && criterion.threshold !== null) {
      flags.push({ kind: 'below_threshold', criterion: criterion.key, value: mean, threshold: criterion.threshold });
    }
    return { key: criterion.key, ...stats };
  });

  const totals = submitted.flatMap((review) => {
    const value = weightedTotal(call.criteria, review.scores);
    return value === null ? [] : [{ agency: review.agency, value }];
  });
  const total = sided(call, totals, call.overallThreshold);
  if (total.passes === false && total.overall.mean !== null && call.overallThreshold !== null) {
    flags.push({ kind: 'below_threshold', criterion: null, value: total.overall.mean, threshold: call.overallThreshold });
  }

  const submittedBy = new Set(submitted.map((review) => review.reviewerId));
  const missingReviewerIds = [...new Set(assignedReviewerIds)].filter((id) => !submittedBy.has(id));
  if (missingReviewerIds.length > 0) flags.push({ kind: 'missing_reviews', reviewerIds: missingReviewerIds });

  return { submitted: submitted.length, missingReviewerIds, criteria, total, passes: overallPass(criteria, total), flags };
}

function overallPass(criteria: readonly CriterionReconciliation[], total: SidedStats): boolean | null {
  const verdicts = [...criteria.map((criterion) => criterion.passes), total.passes];
  if (verdicts.includes(false)) return false;
  if (verdicts.includes(null)) return null;
  return true;
}
