import { Router } from 'express';
import { LoginSchema, type LoginInput } from '../../../shared/schemas/auth.js';
import type { Models } from '../../models/index.js';
import { login } from '../../commands/auth/login.js';
import { revokeSession } from '../../commands/auth/sessions.js';
import { validateBody } from '../middleware/validate.js';
import { clearSessionCookie, requireUser, setSessionCookie } from '../middleware/session.js';
import { presentMe } from '../../presenters/user.js';

export interface AuthRouterDeps {
  models: Models;
  clock: () => Date;
  secureCookies: boolean;
}

/** POST /api/auth/login, POST /api/auth/logout, GET /api/me. */
export function authRouter(deps: AuthRouterDeps): Router {
  const router = Router();
  router.post('/auth/login', validateBody(LoginSchema), async (req, res) => {
    const { token, user } = await login(
      deps.models,
      req.body as LoginInput,
      { ip: req.ip ?? 'unknown', userAgent: req.get('user-agent'), previousToken: req.sessionToken },
      deps.clock(),
    );
    setSessionCookie(res, token, deps.secureCookies);
    res.json({
      user: presentMe({
        id: String(user._id),
        email: user.email,
        name: user.name,
        isAdmin: Boolean(user.isAdmin),
        language: (user.language as 'en' | 'ja') ?? 'en',
        timeZone: user.timeZone ?? 'UTC',
        institution: user.institution ?? null,
      }),
    });
  });
  router.post('/auth/logout', async (req, res) => {
    if (req.sessionToken) await revokeSession(deps.models, req.sessionToken);
    clearSessionCookie(res, deps.secureCookies);
    res.status(204).end();
  });
  router.get('/me', requireUser, (req, res) => {
    res.json({ user: presentMe(req.user!) });
  });
  return router;
}
