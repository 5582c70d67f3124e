import type { ConsensusDto } from '../../shared/dto/review.js';
import type { Consensus, ConsensusCall } from '../domain/consensus.js';
import { consensusOutcome, scoresOutsideReviewRange } from '../domain/consensus.js';
import type { ProposalReconciliation } from '../domain/reconciliation.js';

/** A consensus document's bookkeeping fields, as read with `.lean()`. */
export interface ConsensusMeta {
  _id: unknown;
  proposalId: unknown;
  version?: number | null;
  updatedAt?: Date | null;
  updatedBy?: unknown;
}

/**
 * The consensus as the API shows it: per criterion score, rationale and minority views, summary,
 * recommendation, its weighted total and pass/fail against the call's thresholds, and (when the
 * reconciliation is at hand) the criteria whose consensus score lies outside the reviewers' range.
 */
export function presentConsensus(
  meta: ConsensusMeta,
  consensus: Consensus,
  call: ConsensusCall,
  reconciliation?: ProposalReconciliation,
): ConsensusDto {
  return {
    id: String(meta._id),
    proposalId: String(meta.proposalId),
    criteria: consensus.criteria,
    summary: consensus.summary ?? null,
    recommendation: consensus.recommendation ?? null,
    outcome: consensusOutcome(call, consensus),
    outsideReviewRange: reconciliation ? scoresOutsideReviewRange(consensus, reconciliation) : [],
    version: meta.version ?? 0,
    updatedAt: meta.updatedAt ? meta.updatedAt.toISOString() : null,
    updatedBy: meta.updatedBy ? String(meta.updatedBy) : null,
  };
}
export type { ConsensusDto };
