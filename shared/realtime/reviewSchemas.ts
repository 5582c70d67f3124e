import { z } from 'zod';
import { IdSchema } from '../schemas/common';

/**
 * `review:subscribe` / `review:unsubscribe`: follow submitted reviews of one proposal
 * (`{proposalId}`) or of every proposal of a call (`{callId}`). Exactly one of the two; strict, so
 * unknown fields fail validation.
 */
export const ReviewSubscribeSchema = z.union([
  z.strictObject({ proposalId: IdSchema }),
  z.strictObject({ callId: IdSchema }),
]);
export type ReviewSubscribeInput = z.infer<typeof ReviewSubscribeSchema>;

/**
 * `review:submitted`: a review of the proposal was submitted, or a submitted one changed. Minimal
 * on purpose (no scores, no reviewer): the client refetches what its policies let it read.
 */
export interface ReviewSubmittedEvent {
  callId: string;
  proposalId: string;
  /** Criterion keys whose score changed with this write (all scored keys on a first submission). */
  criteria: string[];
}
