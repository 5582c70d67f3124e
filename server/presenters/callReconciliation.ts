import type { CallReconciliationDto, CallReconciliationEntryDto, CondensedStatsDto } from '../../shared/dto/review.js';
import type { ProposalReconciliation, ReconciliationCall, SidedStats } from '../domain/reconciliation.js';

function condensed(stats: SidedStats): CondensedStatsDto {
  return {
    mean: stats.overall.mean,
    spread: stats.overall.spread,
    byAgency: Object.fromEntries(Object.entries(stats.byAgency).map(([agency, s]) => [agency, s.mean])),
    agencyGap: stats.agencyGap,
    passes: stats.passes,
  };
}

/**
 * The call's reconciliation for the heat map: per proposal, per criterion and for the weighted
 * total the mean, spread, per-agency means, cross-agency gap and pass/fail, the flags, and how
 * many reviews are in or missing. Reviewer ids and names and the consensus stay on the
 * per-proposal route.
 */
export function presentCallReconciliation(
  callId: string,
  rules: ReconciliationCall,
  entries: readonly { proposalId: string; reconciliation: ProposalReconciliation }[],
): CallReconciliationDto {
  return {
    callId,
    thresholds: { flags: rules.flagThresholds, overall: rules.overallThreshold },
    proposals: entries.map(({ proposalId, reconciliation }): CallReconciliationEntryDto => ({
      proposalId,
      submitted: reconciliation.submitted,
      missing: reconciliation.missingReviewerIds.length,
      criteria: reconciliation.criteria.map((entry) => ({ key: entry.key, ...condensed(entry) })),
      total: condensed(reconciliation.total),
      passes: reconciliation.passes,
      flags: reconciliation.flags.filter((flag) => flag.kind !== 'missing_reviews'),
    })),
  };
}
