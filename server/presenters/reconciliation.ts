import type { ProposalReconciliation, ReconciliationCall } from '../domain/reconciliation.js';
import type { ConsensusDto, ReconciliationDto } from '../../shared/dto/review.js';

/**
 * One proposal's reconciliation: per criterion (with its name, scale and threshold) n, mean,
 * median, min, max, spread and sd overall and per agency, the cross-agency gap and pass/fail;
 * the same for the weighted total; discrepancy flags against the call's thresholds; and the
 * consensus when there is one.
 */
export function presentReconciliation(
  proposalId: string,
  rules: ReconciliationCall,
  reconciliation: ProposalReconciliation,
  consensus: ConsensusDto | null,
  missingReviewers: readonly { id: string; name: string }[],
): ReconciliationDto {
  return {
    proposalId,
    submitted: reconciliation.submitted,
    missingReviewers: [...missingReviewers],
    thresholds: {
      flags: rules.flagThresholds,
      overall: rules.overallThreshold,
    },
    criteria: reconciliation.criteria.map((entry) => {
      const criterion = rules.criteria.find((candidate) => candidate.key === entry.key)!;
      return {
        key: entry.key,
        name: criterion.name,
        scale: criterion.scale,
        weight: criterion.weight,
        threshold: criterion.threshold,
        overall: entry.overall,
        byAgency: entry.byAgency,
        agencyGap: entry.agencyGap,
        passes: entry.passes,
      };
    }),
    total: reconciliation.total,
    passes: reconciliation.passes,
    flags: reconciliation.flags,
    consensus,
  };
}
