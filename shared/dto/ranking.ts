import type { DecisionKind } from '../enums';
import type { LocalizedText } from '../schemas/common';
import type { Tier } from '../schemas/ranking';

/** Response shapes of the ranking and decision routes (server/presenters/ranking.ts, decision.ts). */

/** A line of the joint list. */
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

/** A line of one agency's own ranking. */
export interface AgencyRankEntryDto {
  rank: number | null;
  proposalId: string;
  ref: string;
  score: number | null;
  n: number;
  tiedWith: string[];
}

/** An agency's funding line against its envelope. */
export interface FundingLineDto {
  agency: string;
  currency: string;
  envelope: number;
  committed: number;
  remaining: number;
  lastWithin: number | null;
  firstBelow: number | null;
}

/** A recorded move in the joint list, with its reason. */
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

/** An agency's sign-off: valid, voided by a later change, or not given. */
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
