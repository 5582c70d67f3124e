import type { Models } from '../../models/index.js';
import { RateLimitedError } from '../../errors.js';

export interface RateLimitRule {
  /** Attempts allowed per window. */
  limit: number;
  windowMs: number;
}

/**
 * Counts one attempt against `key` in a fixed window and throws when over the limit.
 * One atomic pipeline upsert per attempt, so concurrent attempts on any number of server
 * processes are all counted (no read-then-write race).
 * @throws RateLimitedError when the window's limit is exceeded.
 */
export async function countAttempt(models: Models, key: string, rule: RateLimitRule, now: Date): Promise<void> {
  const resetAt = new Date(now.getTime() + rule.windowMs);
  const expired = { $or: [{ $eq: [{ $type: '$resetAt' }, 'missing'] }, { $lte: ['$resetAt', now] }] };
  const record = await models.RateLimit.collection.findOneAndUpdate(
    { _id: key as never },
    [
      {
        $set: {
          count: { $cond: [expired, 1, { $add: ['$count', 1] }] },
          resetAt: { $cond: [expired, resetAt, '$resetAt'] },
        },
      },
    ],
    { upsert: true, returnDocument: 'after' },
  );
  if (record && record.count > rule.limit) {
    throw new RateLimitedError();
  }
}

/** Forgets a key's attempts (after a successful login, the account's counter starts again). */
export async function clearAttempts(models: Models, key: string): Promise<void> {
  await models.RateLimit.deleteOne({ _id: key });
}
