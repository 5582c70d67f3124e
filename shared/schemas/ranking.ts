import { z } from 'zod';
import { LIMITS } from '../limits';
import { IdSchema, VersionSchema, text } from './common';

/** Body of `POST /calls/:id/ranking/moves`: move a proposal in the joint list; the reason is kept. */
export const RankingMoveSchema = z.strictObject({
  proposalId: IdSchema,
  /** 1-based target position in the joint list. */
  toPosition: z.number().int().min(1).max(10_000),
  reason: text(LIMITS.reason),
  /** The joint list's version last read (0 before the list is first changed). */
  version: VersionSchema,
});
export type RankingMoveInput = z.infer<typeof RankingMoveSchema>;

/** One tier: it covers the joint list down to `lastPosition` (1-based, inclusive). */
export const TierSchema = z.strictObject({
  label: text(40),
  lastPosition: z.number().int().min(1).max(10_000),
});
export type Tier = z.infer<typeof TierSchema>;

/** Body of `PUT /calls/:id/ranking/tiers`: tiers from the top, each ending lower than the last. */
export const RankingTiersSchema = z.strictObject({
  tiers: z.array(TierSchema).min(1).max(10),
  /** The joint list's version last read. */
  version: VersionSchema,
});
export type RankingTiersInput = z.infer<typeof RankingTiersSchema>;
