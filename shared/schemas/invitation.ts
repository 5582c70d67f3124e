import { z } from 'zod';
import { LanguageSchema, RoleSchema } from '../enums';
import { LIMITS } from '../limits';
import { AgencyCodeSchema, EmailSchema, IdSchema, TimeZoneSchema, text } from './common';
import { checkRoleAgency } from './person';

/** Body of `POST /invitations`: invite someone by e-mail to a role (in one call, or staff-wide). */
export const InvitationCreateSchema = z
  .strictObject({
    email: EmailSchema,
    role: RoleSchema,
    agency: AgencyCodeSchema.optional(),
    callId: IdSchema.optional(),
    language: LanguageSchema,
  })
  .superRefine(checkRoleAgency);
export type InvitationCreateInput = z.infer<typeof InvitationCreateSchema>;

/** Body of `POST /invitations/accept`. */
export const InvitationAcceptSchema = z.strictObject({
  token: z.string().regex(/^[A-Za-z0-9_-]{32,128}$/, 'malformed invitation token'),
  name: text(LIMITS.shortText),
  password: z.string().min(LIMITS.minPasswordLength).max(LIMITS.password),
});
export type InvitationAcceptInput = z.infer<typeof InvitationAcceptSchema>;

/**
 * Body of `POST /api/invitations/:token/accept` (the token travels in the path). Name and
 * password are required when the invitation creates the account, ignored when it attaches the
 * role to the signed-in account; language and zone default to the invitation's and the agency's.
 */
export const InvitationAcceptBodySchema = InvitationAcceptSchema.omit({ token: true })
  .partial()
  .extend({
    language: LanguageSchema.optional(),
    timeZone: TimeZoneSchema.optional(),
    institution: text(LIMITS.shortText).optional(),
  });
export type InvitationAcceptBody = z.infer<typeof InvitationAcceptBodySchema>;
