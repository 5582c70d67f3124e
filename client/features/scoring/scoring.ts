import { SCALES, type ScaleKind } from '../../../shared/enums';
import type { Criterion } from '../../../shared/schemas/call';

/**
 * Client-side scoring rules, mirroring server/domain/scales.ts and server/domain/totals.ts (the
 * client may not import server/). The server stays the judge: these only drive the live total
 * and the colours, and every save is checked there again.
 */

const EPSILON = 1e-9;

/** The mark step of a criterion: 0.5 where half marks are on (only 0–5 allows them), else 1. */
export function stepOf(criterion: Pick<Criterion, 'scale' | 'halfMarks'>): number {
  return criterion.halfMarks && SCALES[criterion.scale].halfStep ? 0.5 : 1;
}

/** Every valid mark of a criterion, best last on higher-is-better scales. */
export function marksOf(criterion: Pick<Criterion, 'scale' | 'halfMarks'>): number[] {
  const { min, max } = SCALES[criterion.scale];
  const step = stepOf(criterion);
  const marks: number[] = [];
  for (let value = min; value <= max + EPSILON; value += step) marks.push(Math.round(value * 2) / 2);
  return marks;
}

/** Whether `value` is a mark on the criterion's scale. */
export function isValidMark(criterion: Pick<Criterion, 'scale' | 'halfMarks'>, value: number): boolean {
  const { min, max } = SCALES[criterion.scale];
  return Number.isFinite(value) && value >= min && value <= max && Number.isInteger(value / stepOf(criterion));
}

/** Whether `value` reaches `threshold` on the scale's direction (at most it when lower is better). */
export function meetsThreshold(scale: ScaleKind, value: number, threshold: number): boolean {
  if (Math.abs(value - threshold) < EPSILON) return true;
  return SCALES[scale].direction === 'lower_better' ? value < threshold : value > threshold;
}

/** Σ weight × score, or null while any criterion is unscored (as the server computes it). */
export function weightedTotal(criteria: readonly Pick<Criterion, 'key' | 'weight'>[], scores: Readonly<Partial<Record<string, number>>>): number | null {
  let total = 0;
  for (const criterion of criteria) {
    const score = scores[criterion.key];
    if (score === undefined) return null;
    total += criterion.weight * score;
  }
  return total;
}

/** The range a weighted total can take on a call's criteria. */
export function totalRange(criteria: readonly Pick<Criterion, 'scale' | 'weight'>[]): { min: number; max: number } {
  return criteria.reduce(
    (range, criterion) => ({
      min: range.min + criterion.weight * SCALES[criterion.scale].min,
      max: range.max + criterion.weight * SCALES[criterion.scale].max,
    }),
    { min: 0, max: 0 },
  );
}

/** Maps a value to 0..1 with 1 the best end, given the range and the scale's direction. */
export function goodness(scale: ScaleKind, value: number, range: { min: number; max: number } = SCALES[scale]): number {
  const fraction = range.max === range.min ? 0 : (value - range.min) / (range.max - range.min);
  const clamped = Math.min(1, Math.max(0, fraction));
  return SCALES[scale].direction === 'lower_better' ? 1 - clamped : clamped;
}
