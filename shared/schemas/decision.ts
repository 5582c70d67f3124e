import { z } from 'zod';
import { DecisionKindSchema } from '../enums';
import { LIMITS } from '../limits';
import { VersionSchema, localizedText } from './common';

/**
 * Body of `PUT /proposals/:id/decision`. Conditions go with, and only with, `fund_with_conditions`.
 * `version`: the decision's version last read, 0 before the first one (required, so no write overwrites blindly).
 */
export const DecisionSetSchema = z
  .strictObject({
    kind: DecisionKindSchema,
    conditions: localizedText(LIMITS.rationale).optional(),
    version: VersionSchema,
  })
  .superRefine((decision, ctx) => {
    const withConditions = decision.kind === 'fund_with_conditions';
    if (withConditions && decision.conditions === undefined) {
      ctx.addIssue({ code: 'custom', path: ['conditions'], message: 'state the conditions' });
    } else if (!withConditions && decision.conditions !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['conditions'], message: `a ${decision.kind} decision has no conditions` });
    }
  });
export type DecisionSetInput = z.infer<typeof DecisionSetSchema>;

/** A SHA-256 content hash in lower-case hex, as server/domain/decisions.ts computes it. */
export const ContentHashSchema = z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 hex digest');

/**
 * Body of `POST /proposals/:id/signoffs`: the signer sends the content hash they were shown, so a
 * sign-off can never cover content its signer did not see.
 */
export const SignOffSchema = z.strictObject({
  contentHash: ContentHashSchema,
});
export type SignOffInput = z.infer<typeof SignOffSchema>;
