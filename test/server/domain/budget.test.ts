import { describe, expect, it } from 'vitest';
import { assertBudgetValid, budgetProblems, effectiveRanges, requestedTotal } from '../../../server/domain/budget';
import { DomainError } from '../../../server/domain/domainError';
import { ANR, JST, NRF, bilateralCall } from './fixtures';

const M = 1_000_000;
const call = bilateralCall();
const proposal = { periodMonths: 36, budget: { JST: [10 * M, 10 * M, 10 * M], ANR: [200_000, 200_000, 200_000] } };

describe('effective ranges', () => {
  it('come from the programme template unless the call adjusts them', () => {
    expect(effectiveRanges(call)).toEqual({ periodMonths: { min: 36, max: 60 }, fundingPerYearJpy: { min: 5 * M, max: 100 * M } });
    const adjusted = bilateralCall({ fundingPerYearJpy: { min: 5 * M, max: 20 * M } });
    expect(effectiveRanges(adjusted).fundingPerYearJpy.max).toBe(20 * M);
  });
});

describe('research period', () => {
  it('accepts a period within the range', () => {
    expect(budgetProblems(call, proposal)).toEqual([]);
  });

  it('names periodMonths and the range', () => {
    const problems = budgetProblems(call, { periodMonths: 24, budget: { JST: [10 * M, 10 * M] } });
    expect(problems).toContainEqual({ code: 'period_out_of_range', path: 'periodMonths', message: 'must be between 36 and 60 months' });
  });

  it('says "exactly" for fixed periods (e-ASIA: 3 years)', () => {
    const easia = bilateralCall({ programme: 'multilateral_asia', agencies: [JST, ANR, NRF] });
    const [problem] = budgetProblems(easia, { periodMonths: 48, budget: {} });
    expect(problem.message).toBe('must be exactly 36 months');
  });
});

describe('JST funding per year', () => {
  it('names the year and the range', () => {
    const problems = budgetProblems(call, { ...proposal, budget: { JST: [4 * M, 10 * M, 101 * M], ANR: proposal.budget.ANR } });
    expect(problems.map((p) => p.path)).toEqual(['budget.JST.year1', 'budget.JST.year3']);
    expect(problems[0]).toMatchObject({ code: 'budget_out_of_range' });
    expect(problems[0].message).toBe('¥4,000,000 is outside ¥5,000,000–¥100,000,000 per year');
  });

  it('accepts the bounds themselves', () => {
    expect(budgetProblems(call, { ...proposal, budget: { JST: [5 * M, 100 * M, 5 * M], ANR: proposal.budget.ANR } })).toEqual([]);
  });

  it('holds a partial final year to the ceiling only', () => {
    const p = { periodMonths: 42, budget: { JST: [10 * M, 10 * M, 10 * M, 1 * M], ANR: [1, 1, 1, 1] } };
    expect(budgetProblems(call, p)).toEqual([]);
    const over = { ...p, budget: { ...p.budget, JST: [10 * M, 10 * M, 10 * M, 101 * M] } };
    expect(budgetProblems(call, over).map((x) => x.path)).toEqual(['budget.JST.year4']);
  });

  it('applies J-RAPID figures to a 6-month project', () => {
    const jrapid = bilateralCall({ programme: 'j_rapid' });
    expect(budgetProblems(jrapid, { periodMonths: 6, budget: { JST: [3 * M], ANR: [50_000] } })).toEqual([]);
    expect(budgetProblems(jrapid, { periodMonths: 6, budget: { JST: [11 * M], ANR: [50_000] } })[0].path).toBe('budget.JST.year1');
  });
});

describe('budget shape', () => {
  it('needs one amount per project year', () => {
    const [problem] = budgetProblems(call, { ...proposal, budget: { JST: [10 * M, 10 * M], ANR: proposal.budget.ANR } });
    expect(problem).toMatchObject({ code: 'budget_years_mismatch', path: 'budget.JST' });
    expect(problem.message).toMatch(/needs 3 yearly amounts for a 36-month period, got 2/);
  });

  it('rejects sides that are not call agencies', () => {
    const [problem] = budgetProblems(call, { ...proposal, budget: { ...proposal.budget, NRF: [1, 1, 1] } });
    expect(problem).toMatchObject({ code: 'budget_agency_unknown', path: 'budget.NRF' });
  });
});

describe('agency envelopes', () => {
  it('rejects a side asking more than its agency envelope, in that currency', () => {
    const big = { ...proposal, budget: { JST: proposal.budget.JST, ANR: [1 * M, 1 * M, 1 * M] } };
    const [problem] = budgetProblems(call, big);
    expect(problem).toMatchObject({ code: 'budget_out_of_range', path: 'budget.ANR' });
    expect(problem.message).toMatch(/€3,000,000 in total, more than ANR's whole envelope of €2,000,000/);
  });
});

describe('assertBudgetValid', () => {
  it('passes a valid proposal', () => {
    expect(() => assertBudgetValid(call, proposal)).not.toThrow();
  });

  it('throws the first code with every problem in fields', () => {
    try {
      assertBudgetValid(call, { periodMonths: 72, budget: { JST: [1, 1, 1, 1, 1, 1], ANR: [1, 1, 1, 1, 1, 1] } });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      const e = error as DomainError;
      expect(e.code).toBe('period_out_of_range');
      expect(e.message).toMatch(/^periodMonths must be between 36 and 60 months \(and 6 more\)$/);
      expect(Object.keys(e.fields ?? {})).toContain('budget.JST.year6');
    }
  });
});

describe('requestedTotal', () => {
  it('sums an agency side over all years, 0 when absent', () => {
    expect(requestedTotal(proposal, 'JST')).toBe(30 * M);
    expect(requestedTotal(proposal, 'NRF')).toBe(0);
  });
});
