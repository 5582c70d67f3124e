import { createHash, randomBytes } from 'node:crypto';
import type { Types } from 'mongoose';
import type { Models } from '../../models/index.js';
import { announceRevocation } from './revocations.js';

export const SESSION_TTL_MS = 14 * 24 * 3600 * 1000;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** Creates a session and returns the cookie token (only its hash is stored). */
export async function createSession(
  models: Models,
  userId: Types.ObjectId,
  meta: { ip?: string; userAgent?: string },
  now: Date,
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await models.Session.create({
    _id: hashToken(token),
    userId,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + SESSION_TTL_MS),
    ip: meta.ip,
    userAgent: meta.userAgent?.slice(0, 300),
  });
  return token;
}

/** The live session and user behind a cookie token, or null (unknown, expired, or revoked by a password change). */
export async function resolveSession(models: Models, token: string, now: Date) {
  if (!token || token.length > 100) return null;
  const session = await models.Session.findById(hashToken(token)).lean();
  if (!session || session.expiresAt <= now) return null;
  const user = await models.User.findById(session.userId).lean();
  if (!user || session.createdAt < user.sessionsValidAfter) return null;
  return { session, user };
}

/** Revokes one session (sign-out); the person's live sockets and editors on it are closed. */
export async function revokeSession(models: Models, token: string): Promise<void> {
  const removed = await models.Session.findOneAndDelete({ _id: hashToken(token) }).lean();
  if (removed) announceRevocation({ userId: String(removed.userId) });
}

/**
 * Revokes every session of a user (password change, account lock) except `keepToken`'s, which is
 * re-stamped so it outlives the cut-off: the browser that changed the password stays signed in,
 * with its sockets and editors. Every other session, and what is connected on it, is closed.
 */
export async function revokeAllSessions(models: Models, userId: Types.ObjectId, now: Date, keepToken?: string): Promise<void> {
  const keep = keepToken ? hashToken(keepToken) : undefined;
  // Re-stamp first: between the two writes the kept session must never be the one found invalid.
  if (keep) await models.Session.updateOne({ _id: keep, userId }, { $set: { createdAt: now } });
  await models.User.updateOne({ _id: userId }, { $set: { sessionsValidAfter: now } });
  await models.Session.deleteMany(keep ? { userId, _id: { $ne: keep } } : { userId });
  announceRevocation({ userId: String(userId) });
}
