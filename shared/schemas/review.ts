import { z } from 'zod';
import { LIMITS } from '../limits';
import { CriterionKeySchema, VersionSchema } from './common';

const atMostCriteria = (record: Record<string, unknown>) => Object.keys(record).length <= LIMITS.criteria;

/**
 * Body of `PUT /reviews/mine` (one reviewer, one proposal). Scores are checked against each
 * criterion's scale by server/domain/reviews.ts; `submit: true` also requires every criterion
 * scored. `version` is the version the client last saw: 0 on the first save (a missing one is a 400,
 * never an overwrite; a stale one is a 409 `version_conflict`).
 */
export const ReviewPutSchema = z.strictObject({
  scores: z
    .record(CriterionKeySchema, z.number())
    .refine(atMostCriteria, { message: `at most ${LIMITS.criteria} criteria` }),
  comments: z
    .record(CriterionKeySchema, z.string().trim().max(LIMITS.comment))
    .refine(atMostCriteria, { message: `at most ${LIMITS.criteria} criteria` }),
  overallComment: z.string().trim().max(LIMITS.comment).optional(),
  confidence: z.number().int().min(1).max(5),
  submit: z.boolean(),
  version: VersionSchema,
});
export type ReviewPutInput = z.infer<typeof ReviewPutSchema>;
