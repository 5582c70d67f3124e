import { describe, expect, it } from 'vitest';
import { largestGap, summarise } from '../../../server/domain/statistics';
import { totalScale, weightedTotal } from '../../../server/domain/totals';
import { DomainError } from '../../../server/domain/domainError';
import { EU_CRITERIA, euCriterion, nihCriterion } from './fixtures';

describe('summarise', () => {
  it('gives n, mean, median, min, max, spread and population sd', () => {
    expect(summarise([2, 4, 4, 4, 5, 5, 7, 9])).toEqual({ n: 8, mean: 5, median: 4.5, min: 2, max: 9, spread: 7, sd: 2 });
  });

  it('takes the middle value for odd n and does not reorder its input', () => {
    const values = [5, 1, 3];
    expect(summarise(values).median).toBe(3);
    expect(values).toEqual([5, 1, 3]);
  });

  it('gives sd 0 and spread 0 for a single score', () => {
    expect(summarise([3.5])).toMatchObject({ n: 1, mean: 3.5, median: 3.5, spread: 0, sd: 0 });
  });

  it('gives nulls, not NaN, for no scores', () => {
    expect(summarise([])).toEqual({ n: 0, mean: null, median: null, min: null, max: null, spread: null, sd: null });
  });
});

describe('largestGap between agencies', () => {
  it('is the difference between the highest and lowest agency mean', () => {
    const gap = largestGap({ JST: summarise([4, 5]), ANR: summarise([2]), NRF: summarise([3]) });
    expect(gap).toEqual({ gap: 2.5, highest: 'JST', lowest: 'ANR' });
  });

  it('ignores agencies without scores and is null below two agencies', () => {
    expect(largestGap({ JST: summarise([4]), ANR: summarise([]) })).toBeNull();
    expect(largestGap({})).toBeNull();
  });
});

describe('weighted totals', () => {
  it('sums weight × score without normalising weights (EU: out of 15)', () => {
    expect(weightedTotal(EU_CRITERIA, { excellence: 4, impact: 3.5, implementation: 3 })).toBe(10.5);
    const weighted = [euCriterion('a', { weight: 0.5 }), euCriterion('b', { weight: 0.5 })];
    expect(weightedTotal(weighted, { a: 4, b: 3 })).toBe(3.5);
  });

  it('is null when any criterion is unscored', () => {
    expect(weightedTotal(EU_CRITERIA, { excellence: 4, impact: 3 })).toBeNull();
  });

  it('is compared on the call scale, which needs one direction', () => {
    expect(totalScale([nihCriterion('a'), nihCriterion('b')])).toBe('nine_point_lower_better');
    expect(() => totalScale([nihCriterion('a'), euCriterion('b')])).toThrow(DomainError);
    expect(() => totalScale([])).toThrow(/no criteria/);
  });
});
