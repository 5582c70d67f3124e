import argon2 from 'argon2';
import { Types } from 'mongoose';
import type { PersonUpdateInput } from '../../../shared/schemas/person.js';
import { NotFoundError, ValidationError } from '../../errors.js';
import type { Models } from '../../models/index.js';
import { presentProfile } from '../../presenters/person.js';
import { countAttempt, type RateLimitRule } from '../auth/rateLimit.js';
import { createSession, revokeAllSessions } from '../auth/sessions.js';
import { proposeConflictsForReviewer } from '../conflicts/automaticConflicts.js';

/** Body of `POST /api/me/password`. Passwords are taken as typed (never trimmed). */
export { PasswordChangeSchema, type PasswordChangeInput } from '../../../shared/schemas/auth.js';
import type { PasswordChangeInput } from '../../../shared/schemas/auth.js';

/** Wrong current passwords allowed per account and window (the check is a password guess). */
export const PASSWORD_CHANGE_LIMIT: RateLimitRule = { limit: 10, windowMs: 15 * 60_000 };

/**
 * Updates the signed-in person's name, institution, language or zone. A new institution is
 * compared again with the PIs of every call where they review.
 * @throws NotFoundError when the account is gone.
 */
export async function updateProfile(models: Models, userId: string, input: PersonUpdateInput, now: Date) {
  const id = new Types.ObjectId(userId);
  const before = await models.User.findById(id).lean();
  if (!before) throw new NotFoundError();
  const user = await models.User.findOneAndUpdate({ _id: id }, { $set: input, $inc: { version: 1 } }, { returnDocument: 'after' }).lean();
  if (!user) throw new NotFoundError();
  if (input.institution !== undefined && input.institution !== before.institution) {
    const memberships = await models.Membership.find({ userId: id, role: 'reviewer' }, { callId: 1 }).lean();
    for (const m of memberships) await proposeConflictsForReviewer(models, m.callId, id, userId, now);
  }
  return presentProfile(user);
}

/**
 * Changes the signed-in person's password after checking the current one and revokes every other
 * session they have (a stolen cookie stops working, its sockets and editors are closed). Returns
 * the session token this browser keeps (`meta.currentToken`, or a fresh one when there is none).
 * @throws RateLimitedError, ValidationError on `currentPassword`, NotFoundError.
 */
export async function changePassword(
  models: Models,
  userId: string,
  input: PasswordChangeInput,
  meta: { ip?: string; userAgent?: string; currentToken?: string },
  now: Date,
): Promise<string> {
  await countAttempt(models, `password:account:${userId}`, PASSWORD_CHANGE_LIMIT, now);
  const id = new Types.ObjectId(userId);
  const user = await models.User.findById(id, { passwordHash: 1 }).lean();
  if (!user) throw new NotFoundError();
  const ok = user.passwordHash ? await argon2.verify(user.passwordHash, input.currentPassword).catch(() => false) : false;
  if (!ok) throw new ValidationError('The current password is wrong', { currentPassword: 'is not your current password' });
  const passwordHash = await argon2.hash(input.newPassword);
  await models.User.updateOne({ _id: id }, { $set: { passwordHash }, $inc: { version: 1 } });
  // The browser that changed the password keeps its session (and its live sockets and editors);
  // every other session of the person, and whatever is connected on it, is closed.
  await revokeAllSessions(models, id, now, meta.currentToken);
  return meta.currentToken ?? createSession(models, id, meta, now);
}
