import { createHash, randomBytes } from 'node:crypto';
import type { Types } from 'mongoose';
import type { Models } from '../../models/index.js';

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

export async function revokeSession(models: Models, token: string): Promise<void> {
  await models.Session.deleteOne({ _id: hashToken(token) });
}

/** Revokes every session of a user (password change, account lock). */
export async function revokeAllSessions(models: Models, userId: Types.ObjectId, now: Date): Promise<void> {
  await models.User.updateOne({ _id: userId }, { $set: { sessionsValidAfter: now } });
  await models.Session.deleteMany({ userId });
}
