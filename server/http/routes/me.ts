import { Router } from 'express';
import { PersonUpdateSchema, type PersonUpdateInput } from '../../../shared/schemas/person.js';
import { changePassword, PasswordChangeSchema, updateProfile, type PasswordChangeInput } from '../../commands/people/profile.js';
import type { Models } from '../../models/index.js';
import { requireUser, setSessionCookie } from '../middleware/session.js';
import { validateBody } from '../middleware/validate.js';

export interface MeRouterDeps {
  models: Models;
  clock: () => Date;
  secureCookies: boolean;
}

/** PATCH /api/me (name, institution, language, zone), POST /api/me/password. */
export function meRouter(deps: MeRouterDeps): Router {
  const router = Router();
  router.patch('/me', requireUser, validateBody(PersonUpdateSchema), async (req, res) => {
    res.json({ user: await updateProfile(deps.models, req.user!.id, req.body as PersonUpdateInput, deps.clock()) });
  });
  router.post('/me/password', requireUser, validateBody(PasswordChangeSchema), async (req, res) => {
    const token = await changePassword(
      deps.models,
      req.user!.id,
      req.body as PasswordChangeInput,
      { ip: req.ip, userAgent: req.get('user-agent'), currentToken: req.sessionToken },
      deps.clock(),
    );
    setSessionCookie(res, token, deps.secureCookies);
    res.status(204).end();
  });
  return router;
}
