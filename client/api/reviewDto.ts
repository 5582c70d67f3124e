import type { DecisionKind, ReviewStatus, ScaleKind } from '../../shared/enums';
import type { BilingualName, LocalizedText } from '../../shared/schemas/common';
import type { ConsensusCriterion } from '../../shared/schemas/consensus';
import type { Tier } from '../../shared/schemas/ranking';

/** Response shapes of the review, reconciliation, consensus, ranking, decision and audit routes (see server/presenters). */
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

export interface ScoreStatsDto {
  n: number;
  mean: number | null;
  median: number | null;
  min: number | null;
  max: number | null;
  spread: number | null;
  sd: number | null;
}

export interface AgencyGapDto {
  gap: number;
  highest: string;
  lowest: string;
}

export interface SidedStatsDto {
  overall: ScoreStatsDto;
  byAgency: Record<string, ScoreStatsDto>;
  agencyGap: AgencyGapDto | null;
  passes: boolean | null;
}

export type ReconciliationFlagDto =
  | { kind: 'spread'; criterion: string; value: number; threshold: number }
  | { kind: 'agency_gap'; criterion: string; value: number; threshold: number; highest: string; lowest: string }
  | { kind: 'below_threshold'; criterion: string | null; value: number; threshold: number }
  | { kind: 'missing_reviews'; reviewerIds: string[] };

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

/** `GET /api/proposals/:id/reconciliation`. */
export interface ReconciliationDto {
  proposalId: string;
  submitted: number;
  missingReviewers: { id: string; name: string }[];
  thresholds: { flags: { spread: number; agencyGap: number }; overall: number | null };
  criteria: (SidedStatsDto & { key: string; name: BilingualName; scale: ScaleKind; weight: number; threshold: number | null })[];
  total: SidedStatsDto;
  passes: boolean | null;
  flags: ReconciliationFlagDto[];
  consensus: ConsensusDto | null;
}

export interface JointEntryDto {
  position: number;
  proposalId: string;
  ref: string;
  title: LocalizedText | null;
  score: number | null;
  n: number;
  tier: string | null;
  funding: Record<string, { requested: number; within: boolean }>;
  aboveAllLines: boolean;
}

export interface AgencyRankEntryDto {
  rank: number | null;
  proposalId: string;
  ref: string;
  score: number | null;
  n: number;
  tiedWith: string[];
}

export interface FundingLineDto {
  agency: string;
  currency: string;
  envelope: number;
  committed: number;
  remaining: number;
  lastWithin: number | null;
  firstBelow: number | null;
}

export interface RankingMoveDto {
  proposalId: string;
  ref: string | null;
  fromPosition: number | null;
  toPosition: number | null;
  reason: string;
  by: { id: string; name: string };
  at: string;
}

/** `GET /api/calls/:id/ranking`. */
export interface RankingDto {
  callId: string;
  version: number;
  initialised: boolean;
  joint: JointEntryDto[];
  agencies: Record<string, AgencyRankEntryDto[]>;
  tiers: Tier[];
  fundingLines: FundingLineDto[];
  moves: RankingMoveDto[];
}

export type SignOffStatus = 'valid' | 'voided' | 'missing';

/** `GET /api/proposals/:id/decision`. */
export interface DecisionDto {
  proposalId: string;
  decision: { kind: DecisionKind; conditions: LocalizedText | null } | null;
  version: number;
  contentHash: string;
  final: boolean;
  signOffs: {
    agency: string;
    status: SignOffStatus;
    signedBy: { id: string; name: string; role: string } | null;
    signedAt: string | null;
    voidedAt: string | null;
    voidedBy: string | null;
  }[];
  mySigningAgency: string | null;
}

export interface AuditEntryDto {
  id: string;
  action: string;
  at: string;
  actor: { id: string; name: string };
  proposalId: string | null;
  before: unknown;
  after: unknown;
}
