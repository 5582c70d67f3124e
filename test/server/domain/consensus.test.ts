import { describe, expect, it } from 'vitest';
import {
  assertConsensusComplete,
  assertConsensusValid,
  consensusOutcome,
  consensusProblems,
  scoresOutsideReviewRange,
  type Consensus,
} from '../../../server/domain/consensus';
import { DomainError } from '../../../server/domain/domainError';
import { reconcile } from '../../../server/domain/reconciliation';
import { bilateralCall, eu, multilateralCall, nihCriterion, review } from './fixtures';

const call = bilateralCall();
const entry = (score: number, extra: Partial<Consensus['criteria'][string]> = {}) => ({
  score,
  rationale: { en: 'agreed after discussion', ja: '議論の結果合意' },
  minorityViews: [],
  ...extra,
});
const full: Consensus = {
  criteria: { excellence: entry(4), impact: entry(3.5), implementation: entry(3) },
  summary: { en: 'Fund.' },
};

describe('consensus validation', () => {
  it('accepts a full consensus with minority views per agency', () => {
    const withViews: Consensus = {
      ...full,
      criteria: { ...full.criteria, impact: entry(3.5, { minorityViews: [{ agency: 'ANR', text: { en: 'impact overstated' } }] }) },
    };
    expect(consensusProblems(call, withViews)).toEqual([]);
  });

  it('rejects criteria the call does not have', () => {
    expect(consensusProblems(call, { criteria: { novelty: entry(3) } })).toEqual([
      { code: 'unknown_criterion', path: 'criteria.novelty', message: 'is not a criterion of this call' },
    ]);
  });

  it('checks scores against the criterion scale', () => {
    const problems = consensusProblems(call, { criteria: { excellence: entry(5.5), impact: entry(3.25) } });
    expect(problems.map((p) => [p.code, p.path])).toEqual([
      ['score_out_of_range', 'criteria.excellence.score'],
      ['score_invalid_step', 'criteria.impact.score'],
    ]);
  });

  it('allows one minority view per participating side per criterion', () => {
    const twice = { criteria: { impact: entry(3, { minorityViews: [{ agency: 'ANR', text: { en: 'a' } }, { agency: 'ANR', text: { en: 'b' } }] }) } };
    expect(consensusProblems(call, twice)[0]).toMatchObject({ code: 'consensus_invalid', path: 'criteria.impact.minorityViews.1.agency' });
    const stranger = { criteria: { impact: entry(3, { minorityViews: [{ agency: 'NRF', text: { en: 'a' } }] }) } };
    expect(consensusProblems(call, stranger)[0].message).toMatch(/NRF is not a side/);
  });

  it('limits minority views to the proposal sides in a three-agency call', () => {
    const view = { criteria: { impact: entry(3, { minorityViews: [{ agency: 'NRF', text: { ja: '異論' } }] }) } };
    expect(consensusProblems(multilateralCall(), view)).toEqual([]);
    expect(consensusProblems(multilateralCall(), view, ['JST', 'ANR'])).toHaveLength(1);
  });

  it('throws a DomainError carrying every problem', () => {
    const bad = { criteria: { novelty: entry(3), excellence: entry(9) } };
    expect(() => assertConsensusValid(call, bad)).toThrow(DomainError);
    try {
      assertConsensusValid(call, bad);
    } catch (error) {
      expect((error as DomainError).fields).toEqual({
        'criteria.novelty': 'is not a criterion of this call',
        'criteria.excellence.score': 'must be between 0 and 5',
      });
    }
  });
});

describe('consensus completeness', () => {
  it('accepts a consensus with every criterion, rationale and a summary', () => {
    expect(() => assertConsensusComplete(call, full)).not.toThrow();
  });

  it('lists missing scores, rationales and the summary', () => {
    const partial: Consensus = { criteria: { excellence: entry(4), impact: { score: 3, minorityViews: [] } } };
    try {
      assertConsensusComplete(call, partial);
      expect.unreachable();
    } catch (error) {
      expect((error as DomainError).code).toBe('consensus_incomplete');
      expect(Object.keys((error as DomainError).fields ?? {})).toEqual(['criteria.impact.rationale', 'criteria.implementation', 'summary']);
    }
  });
});

describe('consensus outcome', () => {
  it('totals the consensus scores and checks thresholds', () => {
    expect(consensusOutcome(call, full)).toEqual({ total: 10.5, passes: true, failing: [] });
  });

  it('fails a criterion below its threshold and a total below the overall one', () => {
    const low = { criteria: { excellence: entry(2.5), impact: entry(4), implementation: entry(4) } };
    expect(consensusOutcome(call, low)).toEqual({ total: 10.5, passes: false, failing: ['excellence'] });
    const lowTotal = { criteria: { excellence: entry(3), impact: entry(3), implementation: entry(3) } };
    expect(consensusOutcome(call, lowTotal).passes).toBe(false);
  });

  it('is undecided while incomplete unless a criterion already fails', () => {
    expect(consensusOutcome(call, { criteria: { excellence: entry(4) } })).toEqual({ total: null, passes: null, failing: [] });
    expect(consensusOutcome(call, { criteria: { excellence: entry(1) } }).passes).toBe(false);
  });

  it('respects lower-is-better scales', () => {
    const nih = bilateralCall({ criteria: [nihCriterion('impact', { threshold: 4 })], overallThreshold: 4 });
    expect(consensusOutcome(nih, { criteria: { impact: entry(2) } }).passes).toBe(true);
    expect(consensusOutcome(nih, { criteria: { impact: entry(6) } })).toEqual({ total: 6, passes: false, failing: ['impact'] });
  });
});

describe('consensus against the individual scores', () => {
  it('lists criteria whose consensus lies outside the reviewers range', () => {
    const reconciliation = reconcile(call, [review('r1', 'JST', eu(3, 3, 3)), review('r2', 'ANR', eu(4, 4, 4))]);
    const consensus = { criteria: { excellence: entry(4.5), impact: entry(3.5), implementation: entry(2.5) } };
    expect(scoresOutsideReviewRange(consensus, reconciliation)).toEqual(['excellence', 'implementation']);
  });

  it('lists nothing when there are no reviews to compare with', () => {
    expect(scoresOutsideReviewRange(full, reconcile(call, []))).toEqual([]);
  });
});
