import type { Agency, Criterion } from '../../../shared/schemas/call.js';
import type { Phase } from '../../../shared/enums.js';

/** A call document as read with `.lean()` (only the fields scoring needs). */
export interface CallDoc {
  _id: unknown;
  phase: string;
  agencies: { code: string; name?: unknown; timeZone: string; currency: string; budgetEnvelope: number }[];
  criteria: { key: string; name?: unknown; scale: string; halfMarks?: boolean | null; weight: number; threshold?: number | null }[];
  overallThreshold?: number | null;
  flagThresholds?: { spread: number; agencyGap: number } | null;
}

/** A call's scoring rules in the shape server/domain expects. */
export interface CallRules {
  phase: Phase;
  agencies: Agency[];
  criteria: Criterion[];
  overallThreshold: number | null;
  flagThresholds: { spread: number; agencyGap: number };
}

/** Reads the scoring rules off a stored call (nulls and missing defaults filled as the schema would). */
export function callRules(call: CallDoc): CallRules {
  return {
    phase: call.phase as Phase,
    agencies: call.agencies.map((agency) => ({
      code: agency.code,
      name: agency.name as Agency['name'],
      timeZone: agency.timeZone,
      currency: agency.currency,
      budgetEnvelope: agency.budgetEnvelope,
    })),
    criteria: call.criteria.map((criterion) => ({
      key: criterion.key,
      name: criterion.name as Criterion['name'],
      scale: criterion.scale as Criterion['scale'],
      halfMarks: Boolean(criterion.halfMarks),
      weight: criterion.weight,
      threshold: criterion.threshold ?? null,
    })),
    overallThreshold: call.overallThreshold ?? null,
    flagThresholds: call.flagThresholds ?? { spread: Number.POSITIVE_INFINITY, agencyGap: Number.POSITIVE_INFINITY },
  };
}
