import { z } from 'zod';
import { LIMITS } from '../limits';
import { AgencyCodeSchema, EmailSchema, MoneySchema, localizedText, text } from './common';

/** A principal investigator: one per agency side at least, funded by that agency. */
export const PrincipalInvestigatorSchema = z.strictObject({
  name: text(LIMITS.shortText),
  institution: text(LIMITS.shortText),
  email: EmailSchema,
  agency: AgencyCodeSchema,
});
export type PrincipalInvestigator = z.infer<typeof PrincipalInvestigatorSchema>;

/** Requested budget: per agency, one amount per project year (index 0 is year 1), in that agency's currency. */
export const ProposalBudgetSchema = z.record(
  AgencyCodeSchema,
  z.array(MoneySchema).min(1).max(LIMITS.budgetYears),
);
export type ProposalBudget = z.infer<typeof ProposalBudgetSchema>;

const proposalShape = {
  title: localizedText(LIMITS.title),
  abstract: localizedText(LIMITS.abstract),
  pis: z.array(PrincipalInvestigatorSchema).min(1).max(LIMITS.pisPerProposal),
  budget: ProposalBudgetSchema,
  periodMonths: z.number().int().min(1).max(LIMITS.periodMonths),
};

function checkBudgetSides(
  proposal: { pis?: PrincipalInvestigator[]; budget?: ProposalBudget },
  ctx: z.RefinementCtx,
): void {
  if (!proposal.pis || !proposal.budget) return;
  const piAgencies = new Set(proposal.pis.map((pi) => pi.agency));
  for (const agency of Object.keys(proposal.budget)) {
    if (!piAgencies.has(agency)) {
      ctx.addIssue({ code: 'custom', path: ['budget', agency], message: `no PI is funded by ${agency}` });
    }
  }
  for (const agency of piAgencies) {
    if (!(agency in proposal.budget)) {
      ctx.addIssue({ code: 'custom', path: ['budget'], message: `the ${agency} side has no budget` });
    }
  }
}

/**
 * Body of `POST /calls/:id/proposals`. Budget sides and PI sides must match; ranges against the
 * programme are checked by server/domain/budget.ts, which knows the call.
 */
export const ProposalCreateSchema = z.strictObject(proposalShape).superRefine(checkBudgetSides);
export type ProposalCreateInput = z.infer<typeof ProposalCreateSchema>;

/** Body of `PATCH /proposals/:id`. */
export const ProposalUpdateSchema = z.strictObject(proposalShape).partial().superRefine(checkBudgetSides);
export type ProposalUpdateInput = z.infer<typeof ProposalUpdateSchema>;
