import { SCALES, type ScaleKind } from '../../shared/enums';
import type { Criterion } from '../../shared/schemas/call';
import { DomainError } from './domainError';

/** The criteria fields a weighted total needs. */
export type WeightedCriterion = Pick<Criterion, 'key' | 'scale' | 'weight'>;

/**
 * The scale a call's weighted totals are compared on. Totals (Σ weight × score) keep the
 * criteria's units and direction, which is why every criterion of a call shares one direction.
 * @throws DomainError `scale_mismatch` when there are no criteria or directions differ.
 */
export function totalScale(criteria: readonly WeightedCriterion[]): ScaleKind {
  if (criteria.length === 0) throw new DomainError('scale_mismatch', 'the call has no criteria');
  const direction = SCALES[criteria[0].scale].direction;
  if (criteria.some((criterion) => SCALES[criterion.scale].direction !== direction)) {
    throw new DomainError('scale_mismatch', 'criteria use scales of different directions');
  }
  return criteria[0].scale;
}

/**
 * Σ weight × score over all criteria (weights are not normalised: EU's three criteria of weight 1
 * give a total out of 15, weights summing to 1 give a weighted mean). Null when any criterion is
 * unscored, because a partial total would rank a proposal by what is missing.
 */
export function weightedTotal(
  criteria: readonly WeightedCriterion[],
  scores: Readonly<Partial<Record<string, number>>>,
): number | null {
  let total = 0;
  for (const criterion of criteria) {
    const score = scores[criterion.key];
    if (score === undefined) return null;
    total += criterion.weight * score;
  }
  return total;
}
