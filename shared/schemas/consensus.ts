import { z } from 'zod';
import { DecisionKindSchema } from '../enums';
import { LIMITS } from '../limits';
import { AgencyCodeSchema, CriterionKeySchema, VersionSchema, localizedText } from './common';

/** A view one agency side holds against the consensus on a criterion (recorded, not voted on). */
export const MinorityViewSchema = z.strictObject({
  agency: AgencyCodeSchema,
  text: localizedText(LIMITS.rationale),
});
export type MinorityView = z.infer<typeof MinorityViewSchema>;

/** The agreed score on one criterion. The rationale may be left out while drafting, not when finalising. */
export const ConsensusCriterionSchema = z.strictObject({
  score: z.number(),
  rationale: localizedText(LIMITS.rationale).optional(),
  minorityViews: z.array(MinorityViewSchema).max(LIMITS.agencies).default([]),
});
export type ConsensusCriterion = z.infer<typeof ConsensusCriterionSchema>;

/**
 * Body of `PUT /proposals/:id/consensus`. Checked against the call by server/domain/consensus.ts.
 * `version`: the one last read, 0 before the first save (required: a missing version never overwrites).
 */
export const ConsensusPutSchema = z.strictObject({
  criteria: z
    .record(CriterionKeySchema, ConsensusCriterionSchema)
    .refine((record) => Object.keys(record).length <= LIMITS.criteria, {
      message: `at most ${LIMITS.criteria} criteria`,
    }),
  summary: localizedText(LIMITS.rationale).optional(),
  recommendation: DecisionKindSchema.optional(),
  version: VersionSchema,
});
export type ConsensusPutInput = z.infer<typeof ConsensusPutSchema>;
