import type { Language } from '../../../shared/enums';
import { budgetYears, JST_AGENCY_CODE } from '../../../shared/programmes';
import type { ProposalCreateInput } from '../../../shared/schemas/proposal';
import type { CallDto } from '../../api/dto';

/** One principal investigator as typed. */
export interface PiDraft {
  name: string;
  institution: string;
  email: string;
  agency: string;
}

/** The proposal form: texts as typed, budgets as strings per agency and year. */
export interface ProposalDraft {
  title: Record<Language, string>;
  abstract: Record<Language, string>;
  periodMonths: string;
  pis: PiDraft[];
  budget: Record<string, string[]>;
}

const emptyPi = (agency: string): PiDraft => ({ name: '', institution: '', email: '', agency });

/** A new proposal's form: the Japanese PI first, then one counterpart PI per other agency of the call. */
export function emptyProposalDraft(call: CallDto, periodMonths: number): ProposalDraft {
  const others = call.agencies.map((agency) => agency.code).filter((code) => code !== JST_AGENCY_CODE);
  return {
    title: { en: '', ja: '' },
    abstract: { en: '', ja: '' },
    periodMonths: String(periodMonths),
    pis: [emptyPi(JST_AGENCY_CODE), ...others.map(emptyPi)],
    budget: {},
  };
}

/** The agencies that fund a PI of the draft, in the call's order (each needs a budget). */
export function fundedAgencies(call: CallDto, draft: ProposalDraft): string[] {
  const funded = new Set(draft.pis.map((pi) => pi.agency));
  return call.agencies.map((agency) => agency.code).filter((code) => funded.has(code));
}

/** The number of budget years the typed period spans (1 when the period is not a number yet). */
export function yearsOf(draft: ProposalDraft): number {
  const months = Number(draft.periodMonths);
  return Number.isFinite(months) && months > 0 ? budgetYears(months) : 1;
}

const optional = (text: string) => (text.trim() ? text.trim() : undefined);
const localized = (value: Record<Language, string>) => ({ en: optional(value.en), ja: optional(value.ja) });
const amount = (text: string | undefined) => (text === undefined || text.trim() === '' ? NaN : Number(text));

/** The body of POST /api/calls/:id/proposals (the server checks sides, period and budget against the call). */
export function createInputFromProposalDraft(call: CallDto, draft: ProposalDraft): ProposalCreateInput {
  const years = yearsOf(draft);
  return {
    title: localized(draft.title),
    abstract: localized(draft.abstract),
    periodMonths: Number(draft.periodMonths),
    pis: draft.pis.map((pi) => ({ name: pi.name.trim(), institution: pi.institution.trim(), email: pi.email.trim(), agency: pi.agency })),
    budget: Object.fromEntries(
      fundedAgencies(call, draft).map((agency) => [agency, Array.from({ length: years }, (_, i) => amount(draft.budget[agency]?.[i]))]),
    ),
  };
}
