import type { CallCreateInput } from '../../../shared/schemas/call.js';
import type { Agency, Criterion, PhaseDeadline } from '../../../shared/schemas/call.js';

/** A call as stored (lean), in the shape the shared call schemas and the domain rules read. */
export interface StoredCall {
  title?: { en?: string | null; ja?: string | null } | null;
  programme: string;
  agencies: { code: string; name?: { en?: string | null; ja?: string | null } | null; timeZone: string; currency: string; budgetEnvelope: number }[];
  criteria: { key: string; name?: { en?: string | null; ja?: string | null } | null; scale: string; halfMarks?: boolean | null; weight: number; threshold?: number | null }[];
  overallThreshold?: number | null;
  flagThresholds?: { spread: number; agencyGap: number } | null;
  timeZone: string;
  phases: { phase?: string | null; deadline?: Date | null }[];
  periodMonths?: { min?: number | null; max?: number | null } | null;
  fundingPerYearJpy?: { min?: number | null; max?: number | null } | null;
}

const name = (value?: { en?: string | null; ja?: string | null } | null) => ({ en: value?.en ?? '', ja: value?.ja ?? '' });

// Mongoose keeps an empty sub-document for an unset range (`{}`); the domain must see "no range".
function range(value?: { min?: number | null; max?: number | null } | null) {
  return typeof value?.min === 'number' && typeof value?.max === 'number' ? { min: value.min, max: value.max } : undefined;
}

/**
 * The stored call as a `CallCreateInput`, so a PATCH can be merged onto it and the whole result
 * re-validated, and so the domain's budget and agency rules can read it.
 */
export function callInputOf(call: StoredCall): CallCreateInput {
  const periodMonths = range(call.periodMonths);
  const fundingPerYearJpy = range(call.fundingPerYearJpy);
  return {
    title: name(call.title),
    programme: call.programme as CallCreateInput['programme'],
    agencies: call.agencies.map(
      (agency): Agency => ({
        code: agency.code,
        name: name(agency.name),
        timeZone: agency.timeZone,
        currency: agency.currency,
        budgetEnvelope: agency.budgetEnvelope,
      }),
    ),
    criteria: call.criteria.map(
      (criterion): Criterion => ({
        key: criterion.key,
        name: name(criterion.name),
        scale: criterion.scale as Criterion['scale'],
        halfMarks: Boolean(criterion.halfMarks),
        weight: criterion.weight,
        threshold: criterion.threshold ?? null,
      }),
    ),
    overallThreshold: call.overallThreshold ?? null,
    flagThresholds: { spread: call.flagThresholds?.spread ?? 0, agencyGap: call.flagThresholds?.agencyGap ?? 0 },
    timeZone: call.timeZone,
    phases: call.phases
      .filter((entry) => entry.phase && entry.deadline)
      .map((entry): PhaseDeadline => ({ phase: entry.phase as PhaseDeadline['phase'], deadline: (entry.deadline as Date).toISOString() })),
    ...(periodMonths ? { periodMonths } : {}),
    ...(fundingPerYearJpy ? { fundingPerYearJpy } : {}),
  };
}
