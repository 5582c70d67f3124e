import argon2 from 'argon2';
import type { LoginInput } from '../../../shared/schemas/auth.js';
import { AppError } from '../../errors.js';
import type { Models } from '../../models/index.js';
import { clearAttempts, countAttempt, type RateLimitRule } from './rateLimit.js';
import { createSession, revokeSession } from './sessions.js';

export const LOGIN_LIMITS: { perAccount: RateLimitRule; perAddress: RateLimitRule } = {
  perAccount: { limit: 10, windowMs: 15 * 60_000 },
  perAddress: { limit: 50, windowMs: 15 * 60_000 },
};

// Verifying against a real hash when the account does not exist keeps the response time
// the same, so timing does not tell which e-mail addresses have accounts.
let dummyHash: Promise<string> | undefined;

export class InvalidCredentialsError extends AppError {
  constructor() {
    super(401, 'invalid_credentials', 'E-mail or password is wrong');
  }
}

/**
 * Signs a person in: counts the attempt per account and per address, checks the argon2 hash,
 * and creates a fresh session (rotating away any session the caller already had).
 * @throws RateLimitedError, InvalidCredentialsError
 */
export async function login(
  models: Models,
  input: LoginInput,
  meta: { ip: string; userAgent?: string; previousToken?: string },
  now: Date,
) {
  await countAttempt(models, `login:ip:${meta.ip}`, LOGIN_LIMITS.perAddress, now);
  await countAttempt(models, `login:account:${input.email}`, LOGIN_LIMITS.perAccount, now);
  const user = await models.User.findOne({ email: input.email }).lean();
  dummyHash ??= argon2.hash('not-a-password');
  const ok = await argon2.verify(user?.passwordHash ?? (await dummyHash), input.password).catch(() => false);
  if (!user || !user.passwordHash || !ok) throw new InvalidCredentialsError();
  await clearAttempts(models, `login:account:${input.email}`);
  if (meta.previousToken) await revokeSession(models, meta.previousToken);
  const token = await createSession(models, user._id, meta, now);
  return { token, user };
}
