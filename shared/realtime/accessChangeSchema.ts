import { z } from 'zod';
import { IdSchema } from '../schemas/common';

/**
 * `godo:accessChanged` between server processes: whose access to what changed (a conflict, a phase,
 * a membership, a final sign-off). Strict: a malformed relay is dropped, never half-applied.
 */
export const AccessChangeSchema = z.strictObject({
  callId: IdSchema,
  proposalId: IdSchema.optional(),
  userId: IdSchema.optional(),
});
