import { z } from 'zod';
import { JST_ONLY_ROLES, LanguageSchema, RoleSchema, type Role } from '../enums';
import { LIMITS } from '../limits';
import { JST_AGENCY_CODE } from '../programmes';
import { AgencyCodeSchema, EmailSchema, IdSchema, TimeZoneSchema, text } from './common';

/** Body of `POST /people`. */
export const PersonCreateSchema = z.strictObject({
  name: text(LIMITS.shortText),
  email: EmailSchema,
  institution: text(LIMITS.shortText).optional(),
  language: LanguageSchema,
  timeZone: TimeZoneSchema,
});
export type PersonCreateInput = z.infer<typeof PersonCreateSchema>;

/** Body of `PATCH /people/:id` (e-mail changes go through a separate verified flow). */
export const PersonUpdateSchema = PersonCreateSchema.omit({ email: true }).partial();
export type PersonUpdateInput = z.infer<typeof PersonUpdateSchema>;

/**
 * Adds an issue when a role does not fit its agency: PD and PO are JST's, an officer belongs to a
 * counterpart agency, a reviewer sits on one agency's side.
 */
export function checkRoleAgency(value: { role: Role; agency?: string }, ctx: z.RefinementCtx): void {
  const issue = (message: string) => ctx.addIssue({ code: 'custom', path: ['agency'], message });
  if (JST_ONLY_ROLES.includes(value.role) && value.agency !== JST_AGENCY_CODE) {
    issue(`${value.role} belongs to ${JST_AGENCY_CODE}`);
  } else if (value.role === 'officer' && (value.agency === undefined || value.agency === JST_AGENCY_CODE)) {
    issue('an officer belongs to a counterpart agency');
  } else if (value.role === 'reviewer' && value.agency === undefined) {
    issue('a reviewer sits on one agency side');
  }
}

/** Body of `PUT /calls/:id/members`: a person's role in one call, with per-call zone and language overrides. */
export const MembershipSchema = z
  .strictObject({
    personId: IdSchema,
    role: RoleSchema,
    agency: AgencyCodeSchema.optional(),
    timeZone: TimeZoneSchema.optional(),
    language: LanguageSchema.optional(),
  })
  .superRefine(checkRoleAgency);
export type MembershipInput = z.infer<typeof MembershipSchema>;
