import { z } from 'zod';

/**
 * Stable error codes the server sends and the client translates. Domain rules, HTTP and
 * realtime layers all draw from this one list.
 */
export const ERROR_CODES = [
  // transport and access
  'validation_failed',
  'unauthenticated',
  'forbidden',
  'not_found',
  'version_conflict',
  'rate_limited',
  'internal',
  // phases and deadlines
  'phase_transition_invalid',
  'phase_closed',
  'deadline_missing',
  // scores and reviews
  'score_out_of_range',
  'score_invalid_step',
  'unknown_criterion',
  'review_incomplete',
  'scale_mismatch',
  // proposals and budgets
  'budget_out_of_range',
  'budget_years_mismatch',
  'budget_agency_unknown',
  'period_out_of_range',
  'agency_count_invalid',
  'proposal_agencies_invalid',
  // consensus, ranking, decisions
  'consensus_incomplete',
  'consensus_invalid',
  'ranking_move_invalid',
  'ranking_reason_required',
  'tiers_invalid',
  'decision_missing',
  'decision_invalid',
  'signoff_not_eligible',
  'signoff_stale',
  // conflicts and assignment
  'conflict_of_interest',
  'already_assigned',
  'review_exists',
  // call setup and people
  'criteria_locked',
  'agency_in_use',
  'already_member',
  'member_has_assignments',
  // sign-in and request hygiene
  'invalid_credentials',
  'bad_origin',
  'unsupported_media_type',
  'payload_too_large',
  'unavailable',
  // meetings and comments
  'agenda_invalid',
  'poll_not_open',
  'comment_deleted',
  'comment_agency_missing',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];
export const ErrorCodeSchema = z.enum(ERROR_CODES);

/** Every non-2xx JSON body: `{ error: { code, message, fields? } }`; `fields` maps a field path to its problem. */
export const ApiErrorSchema = z.strictObject({
  error: z.strictObject({
    code: ErrorCodeSchema,
    message: z.string().max(2_000),
    fields: z.record(z.string().max(200), z.string().max(2_000)).optional(),
  }),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;
