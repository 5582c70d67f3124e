import type { CallCreateInput } from '../../shared/schemas/call';
import type { ProposalCreateInput } from '../../shared/schemas/proposal';
import { JST_AGENCY_CODE, PROGRAMMES, budgetYears, type NumberRange } from '../../shared/programmes';
import { throwProblems, type FieldProblem } from './domainError';

/** What budget checks need to know about a call. */
export type BudgetCall = Pick<CallCreateInput, 'programme' | 'agencies' | 'periodMonths' | 'fundingPerYearJpy'>;
/** What budget checks need to know about a proposal. */
export type BudgetProposal = Pick<ProposalCreateInput, 'budget' | 'periodMonths'>;

/** The research period (months) and JST funding per year (yen) a call allows: its own, else the programme's. */
export function effectiveRanges(call: BudgetCall): { periodMonths: NumberRange; fundingPerYearJpy: NumberRange } {
  const template = PROGRAMMES[call.programme];
  return {
    periodMonths: call.periodMonths ?? template.periodMonths,
    fundingPerYearJpy: call.fundingPerYearJpy ?? template.fundingPerYearJpy,
  };
}

function money(amount: number, currency: string): string {
  return new Intl.NumberFormat('en', { style: 'currency', currency, maximumFractionDigits: 0 }).format(amount);
}

/**
 * Every problem with a proposal's period and budget against its call, in field order:
 * - `periodMonths` within the call's range;
 * - each side in `budget` is a call agency, with one amount per project year (a started year counts);
 * - JST's amount per year within the funding range; a final partial year is held to the ceiling only,
 *   because the floor is a yearly figure;
 * - each side's total within that agency's envelope (a request larger than the whole envelope can never be met).
 */
export function budgetProblems(call: BudgetCall, proposal: BudgetProposal): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const { periodMonths, fundingPerYearJpy } = effectiveRanges(call);
  if (proposal.periodMonths < periodMonths.min || proposal.periodMonths > periodMonths.max) {
    const range =
      periodMonths.min === periodMonths.max
        ? `exactly ${periodMonths.min} months`
        : `between ${periodMonths.min} and ${periodMonths.max} months`;
    problems.push({ code: 'period_out_of_range', path: 'periodMonths', message: `must be ${range}` });
  }
  const years = budgetYears(proposal.periodMonths);
  const partialLastYear = proposal.periodMonths % 12 !== 0;
  for (const [code, amounts] of Object.entries(proposal.budget)) {
    const agency = call.agencies.find((candidate) => candidate.code === code);
    const path = `budget.${code}`;
    if (!agency) {
      problems.push({ code: 'budget_agency_unknown', path, message: `${code} does not take part in this call` });
      continue;
    }
    if (amounts.length !== years) {
      problems.push({
        code: 'budget_years_mismatch',
        path,
        message: `needs ${years} yearly amount${years === 1 ? '' : 's'} for a ${proposal.periodMonths}-month period, got ${amounts.length}`,
      });
    }
    if (code === JST_AGENCY_CODE) {
      amounts.forEach((amount, i) => {
        const isPartial = partialLastYear && i === years - 1;
        const tooLow = !isPartial && amount < fundingPerYearJpy.min;
        if (tooLow || amount > fundingPerYearJpy.max) {
          problems.push({
            code: 'budget_out_of_range',
            path: `${path}.year${i + 1}`,
            message: `${money(amount, 'JPY')} is outside ${money(fundingPerYearJpy.min, 'JPY')}–${money(fundingPerYearJpy.max, 'JPY')} per year`,
          });
        }
      });
    }
    const total = amounts.reduce((sum, amount) => sum + amount, 0);
    if (total > agency.budgetEnvelope) {
      problems.push({
        code: 'budget_out_of_range',
        path,
        message: `requests ${money(total, agency.currency)} in total, more than ${code}'s whole envelope of ${money(agency.budgetEnvelope, agency.currency)}`,
      });
    }
  }
  return problems;
}

/**
 * Checks period and budget; see budgetProblems for the rules.
 * @throws DomainError with the first problem's code (`period_out_of_range`, `budget_agency_unknown`,
 *   `budget_years_mismatch`, `budget_out_of_range`) and every problem in `fields`.
 */
export function assertBudgetValid(call: BudgetCall, proposal: BudgetProposal): void {
  throwProblems(budgetProblems(call, proposal));
}

/** Total a proposal requests from one agency over all years (0 when that side requests nothing). */
export function requestedTotal(proposal: Pick<ProposalCreateInput, 'budget'>, agency: string): number {
  return (proposal.budget[agency] ?? []).reduce((sum, amount) => sum + amount, 0);
}
