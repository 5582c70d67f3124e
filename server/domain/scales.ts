import { SCALES, type ScaleDirection, type ScaleKind } from '../../shared/enums';
import type { Criterion } from '../../shared/schemas/call';
import { throwProblems, type FieldProblem } from './domainError';

/** The part of a criterion that decides which marks are valid. */
export type ScaleOf = Pick<Criterion, 'scale' | 'halfMarks'>;

// Scores and statistics are compared with this tolerance so 2.9999999 counts as 3.
const EPSILON = 1e-9;

/** The mark step of a criterion: 0.5 where half marks are on (only 0–5 allows them), else 1. */
export function stepOf(criterion: ScaleOf): number {
  return criterion.halfMarks && SCALES[criterion.scale].halfStep ? 0.5 : 1;
}

/**
 * Why `value` is not a mark on the criterion's scale (reported at `path`), or null when it is:
 * `score_out_of_range` outside the scale, `score_invalid_step` for a fraction the scale does not
 * allow (half marks without `halfMarks`, or on the 1–9 and 1–5 scales).
 */
export function scoreProblem(criterion: ScaleOf, value: number, path = 'score'): FieldProblem | null {
  const spec = SCALES[criterion.scale];
  if (!Number.isFinite(value) || value < spec.min || value > spec.max) {
    return { code: 'score_out_of_range', path, message: `must be between ${spec.min} and ${spec.max}` };
  }
  const step = stepOf(criterion);
  if (!Number.isInteger(value / step)) {
    const message = step === 1 ? 'must be a whole number' : 'must be a whole or half mark';
    return { code: 'score_invalid_step', path, message };
  }
  return null;
}

/** Whether `value` is a valid mark on the criterion's scale. */
export function isValidScore(criterion: ScaleOf, value: number): boolean {
  return scoreProblem(criterion, value) === null;
}

/**
 * Checks one score; `path` names the field in the error (e.g. `scores.impact`).
 * @throws DomainError `score_out_of_range` or `score_invalid_step` (see scoreProblem).
 */
export function assertValidScore(criterion: ScaleOf, value: number, path: string): void {
  const problem = scoreProblem(criterion, value, path);
  if (problem) throwProblems([problem]);
}

/** Which end of the scale is good. */
export function directionOf(scale: ScaleKind): ScaleDirection {
  return SCALES[scale].direction;
}

/**
 * Orders two scores best first: negative when `a` is better than `b`, positive when worse,
 * 0 when equal within floating-point noise. Works for single marks, means and weighted totals.
 */
export function compareScores(scale: ScaleKind, a: number, b: number): number {
  if (Math.abs(a - b) < EPSILON) return 0;
  return directionOf(scale) === 'lower_better' ? a - b : b - a;
}

/** Whether `a` is strictly better than `b` on the scale. */
export function isBetter(scale: ScaleKind, a: number, b: number): boolean {
  return compareScores(scale, a, b) < 0;
}

/** Whether `value` reaches `threshold`: at most it on a lower-is-better scale, at least it otherwise. */
export function meetsThreshold(scale: ScaleKind, value: number, threshold: number): boolean {
  return compareScores(scale, value, threshold) <= 0;
}

/**
 * Maps a score to 0..1 with 1 the best mark, so scores on different scales can be compared
 * (1 on the 1–9 scale → 1; 9 → 0; 5 on 0–5 → 1).
 */
export function normalise(scale: ScaleKind, value: number): number {
  const { min, max, direction } = SCALES[scale];
  const fraction = (value - min) / (max - min);
  return direction === 'lower_better' ? 1 - fraction : fraction;
}

/** Whether `a` and `b` are equal within floating-point noise. */
export function sameScore(a: number, b: number): boolean {
  return Math.abs(a - b) < EPSILON;
}

/** Whether `value` is at least `limit` within floating-point noise (for flag thresholds). */
export function reaches(value: number, limit: number): boolean {
  return value >= limit - EPSILON;
}
