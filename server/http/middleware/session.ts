import type { RequestHandler, Response } from 'express';
import { parse, serialize } from 'cookie';
import type { Models } from '../../models/index.js';
import { resolveSession, SESSION_TTL_MS } from '../../commands/auth/sessions.js';
import { UnauthenticatedError } from '../../errors.js';

export const SESSION_COOKIE = 'godo_session';

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  isAdmin: boolean;
  language: 'en' | 'ja';
  timeZone: string;
  /** Shown by GET /api/me; optional so callers building a SessionUser by hand need not give it. */
  institution?: string | null;
}

declare module 'express-serve-static-core' {
  interface Request {
    /** The signed-in person, set by `loadSession`; undefined when anonymous. */
    user?: SessionUser;
    sessionToken?: string;
  }
}

export function readSessionToken(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  return parse(cookieHeader)[SESSION_COOKIE];
}

/** Attaches `req.user` from the session cookie; never fails the request (routes decide). */
export function loadSession(models: Models, clock: () => Date): RequestHandler {
  return async (req, _res, next) => {
    const token = readSessionToken(req.headers.cookie);
    if (!token) return next();
    const found = await resolveSession(models, token, clock());
    if (found) {
      const { user } = found;
      req.sessionToken = token;
      req.user = {
        id: String(user._id),
        email: user.email,
        name: user.name,
        isAdmin: Boolean(user.isAdmin),
        language: (user.language as 'en' | 'ja') ?? 'en',
        timeZone: user.timeZone ?? 'UTC',
        institution: user.institution ?? null,
      };
    }
    next();
  };
}

export const requireUser: RequestHandler = (req, _res, next) => {
  if (!req.user) return next(new UnauthenticatedError());
  next();
};

export function setSessionCookie(res: Response, token: string, secure: boolean): void {
  res.append(
    'Set-Cookie',
    serialize(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure,
      path: '/',
      maxAge: Math.floor(SESSION_TTL_MS / 1000),
    }),
  );
}

export function clearSessionCookie(res: Response, secure: boolean): void {
  res.append('Set-Cookie', serialize(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: 0 }));
}
