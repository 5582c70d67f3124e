import { describe, expect, it } from 'vitest';
import { reconcile } from '../../../server/domain/reconciliation';
import { bilateralCall, eu, multilateralCall, nihCriterion, review } from './fixtures';

const call = bilateralCall();

describe('statistics per criterion', () => {
  it('computes n, mean, median, min, max, spread and population sd over submitted reviews', () => {
    const result = reconcile(call, [
      review('r1', 'JST', eu(4, 4, 4)),
      review('r2', 'JST', eu(3, 4, 4)),
      review('r3', 'ANR', eu(5, 4, 4)),
    ]);
    const excellence = result.criteria.find((c) => c.key === 'excellence')!;
    expect(excellence.overall).toMatchObject({ n: 3, mean: 4, median: 4, min: 3, max: 5, spread: 2 });
    expect(excellence.overall.sd).toBeCloseTo(Math.sqrt(2 / 3), 10);
    expect(result.submitted).toBe(3);
  });

  it('handles half marks', () => {
    const result = reconcile(call, [review('r1', 'JST', eu(3.5, 4, 4)), review('r2', 'ANR', eu(4.5, 4, 4))]);
    expect(result.criteria[0].overall).toMatchObject({ mean: 4, median: 4, spread: 1 });
  });
});

describe('per agency and the cross-agency gap', () => {
  it('splits statistics by the reviewer agency and measures the gap between agency means', () => {
    const result = reconcile(call, [
      review('r1', 'JST', eu(4, 4, 4)),
      review('r2', 'JST', eu(5, 4, 4)),
      review('r3', 'ANR', eu(3, 4, 4)),
    ]);
    const excellence = result.criteria[0];
    expect(excellence.byAgency.JST).toMatchObject({ n: 2, mean: 4.5 });
    expect(excellence.byAgency.ANR).toMatchObject({ n: 1, mean: 3 });
    expect(excellence.agencyGap).toEqual({ gap: 1.5, highest: 'JST', lowest: 'ANR' });
  });

  it('lists every call agency even without reviews, and has no gap with one side', () => {
    const result = reconcile(call, [review('r1', 'JST', eu(4, 4, 4))]);
    expect(result.criteria[0].byAgency.ANR).toMatchObject({ n: 0, mean: null });
    expect(result.criteria[0].agencyGap).toBeNull();
  });

  it('takes the largest difference in a three-agency call', () => {
    const result = reconcile(multilateralCall(), [
      review('a', 'JST', eu(4, 4, 4)),
      review('b', 'NRF', eu(2.5, 4, 4)),
      review('c', 'ANR', eu(3, 4, 4)),
    ]);
    expect(result.criteria[0].agencyGap).toEqual({ gap: 1.5, highest: 'JST', lowest: 'NRF' });
    expect(Object.keys(result.criteria[0].byAgency)).toEqual(['JST', 'NRF', 'ANR']);
  });
});

describe('weighted totals', () => {
  it('summarises each complete review total, overall and per agency', () => {
    const result = reconcile(call, [review('r1', 'JST', eu(4, 4, 4)), review('r2', 'ANR', eu(3, 3, 3))]);
    expect(result.total.overall).toMatchObject({ n: 2, mean: 10.5, min: 9, max: 12, spread: 3 });
    expect(result.total.byAgency.JST.mean).toBe(12);
    expect(result.total.agencyGap?.gap).toBe(3);
  });

  it('leaves incomplete reviews out of the totals but counts their criterion scores', () => {
    const result = reconcile(call, [review('r1', 'JST', eu(4, 4, 4)), review('r2', 'ANR', { excellence: 2 })]);
    expect(result.total.overall.n).toBe(1);
    expect(result.criteria[0].overall.n).toBe(2);
  });
});

describe('flags', () => {
  it('flags spread at or above the call threshold', () => {
    const result = reconcile(call, [review('r1', 'JST', eu(3, 4, 4)), review('r2', 'JST', eu(4.5, 4, 4))]);
    expect(result.flags).toContainEqual({ kind: 'spread', criterion: 'excellence', value: 1.5, threshold: 1.5 });
    expect(result.flags.filter((f) => f.kind === 'spread')).toHaveLength(1);
  });

  it('flags an agency gap at or above the call threshold', () => {
    const result = reconcile(call, [review('r1', 'JST', eu(4, 4, 4)), review('r2', 'ANR', eu(4, 3, 4))]);
    expect(result.flags).toContainEqual({ kind: 'agency_gap', criterion: 'impact', value: 1, threshold: 1, highest: 'JST', lowest: 'ANR' });
  });

  it('does not flag just below the thresholds', () => {
    const result = reconcile(call, [review('r1', 'JST', eu(4, 4, 4)), review('r2', 'ANR', eu(4.5, 4, 4))]);
    expect(result.flags).toEqual([]);
  });

  it('flags a criterion mean and a total below their thresholds', () => {
    const result = reconcile(call, [review('r1', 'JST', eu(2.5, 3, 3)), review('r2', 'ANR', eu(2.5, 3.5, 3))]);
    expect(result.flags).toContainEqual({ kind: 'below_threshold', criterion: 'excellence', value: 2.5, threshold: 3 });
    expect(result.flags).toContainEqual({ kind: 'below_threshold', criterion: null, value: 8.75, threshold: 10 });
  });

  it('flags assigned reviewers who have not submitted', () => {
    const result = reconcile(call, [review('r1', 'JST', eu(4, 4, 4)), review('r2', 'ANR', eu(1, 1, 1), 'draft')], ['r1', 'r2', 'r3']);
    expect(result.missingReviewerIds).toEqual(['r2', 'r3']);
    expect(result.flags).toContainEqual({ kind: 'missing_reviews', reviewerIds: ['r2', 'r3'] });
  });
});

describe('pass and fail', () => {
  it('passes when every criterion and the total reach their thresholds (EU 3 each, 10 of 15)', () => {
    const result = reconcile(call, [review('r1', 'JST', eu(3.5, 3.5, 3))]);
    expect(result.criteria.every((c) => c.passes)).toBe(true);
    expect(result.total.passes).toBe(true);
    expect(result.passes).toBe(true);
  });

  it('fails on the total alone (all criteria at 3 give 9 < 10)', () => {
    const result = reconcile(call, [review('r1', 'JST', eu(3, 3, 3))]);
    expect(result.criteria.every((c) => c.passes)).toBe(true);
    expect(result.passes).toBe(false);
  });

  it('respects lower-is-better scales', () => {
    const nih = bilateralCall({
      criteria: [nihCriterion('significance', { threshold: 3 }), nihCriterion('approach', { threshold: 3 })],
      overallThreshold: 6,
      flagThresholds: { spread: 3, agencyGap: 2 },
    });
    const good = reconcile(nih, [review('r1', 'JST', { significance: 2, approach: 3 })]);
    expect(good.passes).toBe(true);
    const bad = reconcile(nih, [review('r1', 'JST', { significance: 2, approach: 5 })]);
    expect(bad.criteria[1].passes).toBe(false);
    expect(bad.flags).toContainEqual({ kind: 'below_threshold', criterion: 'approach', value: 5, threshold: 3 });
    expect(bad.flags).toContainEqual({ kind: 'below_threshold', criterion: null, value: 7, threshold: 6 });
  });

  it('passes without thresholds once there are reviews', () => {
    const open = bilateralCall({ criteria: [nihCriterion('overall')], overallThreshold: null });
    expect(reconcile(open, [review('r1', 'ANR', { overall: 9 })]).passes).toBe(true);
  });
});

describe('no reviews', () => {
  it('returns empty statistics, no flags and an undecided verdict for n = 0', () => {
    const result = reconcile(call, []);
    expect(result.submitted).toBe(0);
    expect(result.criteria[0].overall).toMatchObject({ n: 0, mean: null, spread: null, sd: null });
    expect(result.total.overall.n).toBe(0);
    expect(result.passes).toBeNull();
    expect(result.flags).toEqual([]);
  });

  it('ignores drafts entirely', () => {
    const result = reconcile(call, [review('r1', 'JST', eu(0, 0, 0), 'draft')]);
    expect(result.submitted).toBe(0);
    expect(result.passes).toBeNull();
  });
});
