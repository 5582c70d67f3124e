import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../server/domain/domainError';
import {
  assertValidScore,
  compareScores,
  isBetter,
  isValidScore,
  meetsThreshold,
  normalise,
  scoreProblem,
  stepOf,
} from '../../../server/domain/scales';

const nih = { scale: 'nine_point_lower_better', halfMarks: false } as const;
const euHalf = { scale: 'zero_to_five', halfMarks: true } as const;
const euWhole = { scale: 'zero_to_five', halfMarks: false } as const;
const five = { scale: 'one_to_five', halfMarks: false } as const;

describe('valid marks per scale', () => {
  it('1–9 takes whole numbers only', () => {
    expect([1, 5, 9].every((v) => isValidScore(nih, v))).toBe(true);
    expect(isValidScore(nih, 0)).toBe(false);
    expect(isValidScore(nih, 10)).toBe(false);
    expect(isValidScore(nih, 4.5)).toBe(false);
  });

  it('0–5 takes half marks only when the criterion allows them', () => {
    expect(isValidScore(euHalf, 0)).toBe(true);
    expect(isValidScore(euHalf, 3.5)).toBe(true);
    expect(isValidScore(euHalf, 3.25)).toBe(false);
    expect(isValidScore(euWhole, 3.5)).toBe(false);
    expect(isValidScore(euWhole, 5)).toBe(true);
    expect(stepOf(euHalf)).toBe(0.5);
  });

  it('half marks asked for on a scale without them are ignored', () => {
    expect(stepOf({ scale: 'one_to_five', halfMarks: true })).toBe(1);
    expect(isValidScore({ scale: 'one_to_five', halfMarks: true }, 2.5)).toBe(false);
  });

  it('1–5 takes whole numbers 1 to 5', () => {
    expect(isValidScore(five, 0)).toBe(false);
    expect(isValidScore(five, 1)).toBe(true);
    expect(isValidScore(five, 6)).toBe(false);
  });

  it('rejects NaN and infinities', () => {
    expect(isValidScore(euHalf, Number.NaN)).toBe(false);
    expect(isValidScore(euHalf, Number.POSITIVE_INFINITY)).toBe(false);
  });
});

describe('score errors', () => {
  it('tells out-of-range from a bad step, with the field path', () => {
    expect(scoreProblem(nih, 10, 'scores.impact')).toEqual({
      code: 'score_out_of_range',
      path: 'scores.impact',
      message: 'must be between 1 and 9',
    });
    expect(scoreProblem(euWhole, 2.5)?.code).toBe('score_invalid_step');
    expect(scoreProblem(euHalf, 2.5)).toBeNull();
  });

  it('throws a DomainError with fields', () => {
    try {
      assertValidScore(euHalf, 3.3, 'scores.excellence');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe('score_invalid_step');
      expect((error as DomainError).fields).toEqual({ 'scores.excellence': 'must be a whole or half mark' });
    }
  });
});

describe('better direction', () => {
  it('lower is better on 1–9', () => {
    expect(isBetter('nine_point_lower_better', 2, 5)).toBe(true);
    expect(isBetter('nine_point_lower_better', 5, 2)).toBe(false);
    expect([5, 1, 9, 3].sort((a, b) => compareScores('nine_point_lower_better', a, b))).toEqual([1, 3, 5, 9]);
  });

  it('higher is better on 0–5 and 1–5', () => {
    expect(isBetter('zero_to_five', 4.5, 4)).toBe(true);
    expect(isBetter('one_to_five', 2, 3)).toBe(false);
    expect([3, 5, 0.5].sort((a, b) => compareScores('zero_to_five', a, b))).toEqual([5, 3, 0.5]);
  });

  it('treats floating-point noise as equal', () => {
    expect(compareScores('zero_to_five', 0.1 + 0.2, 0.3)).toBe(0);
    expect(isBetter('zero_to_five', 0.1 + 0.2, 0.3)).toBe(false);
  });
});

describe('thresholds respect direction', () => {
  it('passes at or below the threshold on 1–9', () => {
    expect(meetsThreshold('nine_point_lower_better', 3, 3)).toBe(true);
    expect(meetsThreshold('nine_point_lower_better', 2, 3)).toBe(true);
    expect(meetsThreshold('nine_point_lower_better', 4, 3)).toBe(false);
  });

  it('passes at or above the threshold on 0–5', () => {
    expect(meetsThreshold('zero_to_five', 3, 3)).toBe(true);
    expect(meetsThreshold('zero_to_five', 2.5, 3)).toBe(false);
    expect(meetsThreshold('zero_to_five', 10 - 1e-12, 10)).toBe(true);
  });
});

describe('normalisation for comparison across scales', () => {
  it('maps the best mark to 1 and the worst to 0', () => {
    expect(normalise('nine_point_lower_better', 1)).toBe(1);
    expect(normalise('nine_point_lower_better', 9)).toBe(0);
    expect(normalise('nine_point_lower_better', 5)).toBe(0.5);
    expect(normalise('zero_to_five', 5)).toBe(1);
    expect(normalise('zero_to_five', 2.5)).toBe(0.5);
    expect(normalise('one_to_five', 1)).toBe(0);
    expect(normalise('one_to_five', 3)).toBe(0.5);
  });
});
