import type { DecisionKind, ReviewStatus, ScaleKind } from '../enums';
import type { BilingualName, LocalizedText } from '../schemas/common';
import type { ConsensusCriterion } from '../schemas/consensus';

/** Response shapes of the review, reconciliation and consensus routes (server/presenters). */

/** A review with its reviewer and weighted total (null until every criterion is scored). */
export interface ReviewDto {
  id: string;
  proposalId: string;
  reviewer: { id: string; name: string; agency: string };
  agency: string;
  scores: Record<string, number>;
  comments: Record<string, string>;
  overallComment: string | null;
  confidence: number | null;
  status: ReviewStatus;
  submittedAt: string | null;
  updatedAt: string | null;
  version: number;
  weightedTotal: number | null;
}

/** Statistics of one quantity; nulls when no review counts. */
export interface ScoreStatsDto {
  n: number;
  mean: number | null;
  median: number | null;
  min: number | null;
  max: number | null;
  spread: number | null;
  sd: number | null;
}

/** The gap between agency means and the agencies it lies between. */
export interface AgencyGapDto {
  gap: number;
  highest: string;
  lowest: string;
}

/** Statistics overall and per agency, the cross-agency gap and pass/fail. */
export interface SidedStatsDto {
  overall: ScoreStatsDto;
  byAgency: Record<string, ScoreStatsDto>;
  agencyGap: AgencyGapDto | null;
  passes: boolean | null;
}

/** A discrepancy to discuss (`criterion: null` is the weighted total). */
export type ReconciliationFlagDto =
  | { kind: 'spread'; criterion: string; value: number; threshold: number }
  | { kind: 'agency_gap'; criterion: string; value: number; threshold: number; highest: string; lowest: string }
  | { kind: 'below_threshold'; criterion: string | null; value: number; threshold: number }
  | { kind: 'missing_reviews'; reviewerIds: string[] };

/** The consensus on a proposal, with its outcome against the call's thresholds. */
export interface ConsensusDto {
  id: string;
  proposalId: string;
  criteria: Record<string, ConsensusCriterion>;
  summary: LocalizedText | null;
  recommendation: DecisionKind | null;
  outcome: { total: number | null; passes: boolean | null; failing: string[] };
  outsideReviewRange: string[];
  version: number;
  updatedAt: string | null;
  updatedBy: string | null;
}

/** One criterion of a reconciliation, with its definition. */
export interface CriterionReconciliationDto extends SidedStatsDto {
  key: string;
  name: BilingualName;
  scale: ScaleKind;
  weight: number;
  threshold: number | null;
}

/** `GET /api/proposals/:id/reconciliation`. */
export interface ReconciliationDto {
  proposalId: string;
  submitted: number;
  missingReviewers: { id: string; name: string }[];
  thresholds: { flags: { spread: number; agencyGap: number }; overall: number | null };
  criteria: CriterionReconciliationDto[];
  total: SidedStatsDto;
  passes: boolean | null;
  flags: ReconciliationFlagDto[];
  consensus: ConsensusDto | null;
}

/** One quantity condensed for the heat map: mean and spread overall, the mean per agency, the gap, pass/fail. */
export interface CondensedStatsDto {
  mean: number | null;
  spread: number | null;
  byAgency: Record<string, number | null>;
  agencyGap: AgencyGapDto | null;
  passes: boolean | null;
}

/** One proposal's line of the call's reconciliation (no reviewer ids or names, no consensus). */
export interface CallReconciliationEntryDto {
  proposalId: string;
  submitted: number;
  /** Assigned reviewers who have not submitted yet. */
  missing: number;
  criteria: (CondensedStatsDto & { key: string })[];
  total: CondensedStatsDto;
  passes: boolean | null;
  /** Every flag but `missing_reviews` (which `missing` counts). */
  flags: Exclude<ReconciliationFlagDto, { kind: 'missing_reviews' }>[];
}

/**
 * `GET /api/calls/:id/reconciliation`: a line per proposal whose reconciliation the viewer may
 * read. Proposals they are conflicted with, or may not read yet, are not in the list at all.
 */
export interface CallReconciliationDto {
  callId: string;
  thresholds: { flags: { spread: number; agencyGap: number }; overall: number | null };
  proposals: CallReconciliationEntryDto[];
}
