import { z } from 'zod';
import { IdSchema } from './common';

/** Body of `POST /assignments`: assign a reviewer to a proposal, optionally as its rapporteur. */
export const AssignmentCreateSchema = z.strictObject({
  proposalId: IdSchema,
  reviewerId: IdSchema,
  rapporteur: z.boolean().default(false),
});
export type AssignmentCreateInput = z.infer<typeof AssignmentCreateSchema>;

/** Body of `POST /assignments/:id/accept`: accepting certifies having no conflict (EU and NIH practice). */
export const AssignmentAcceptSchema = z.strictObject({
  certifyNoConflict: z.literal(true),
});
export type AssignmentAcceptInput = z.infer<typeof AssignmentAcceptSchema>;
