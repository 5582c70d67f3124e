import { Router } from 'express';
import type { Logger } from 'pino';
import { InvitationCreateSchema, type InvitationCreateInput } from '../../../shared/schemas/invitation.js';
import { acceptInvitation, createInvitation, InvitationAcceptBodySchema, showInvitation, type InvitationAcceptBody } from '../../commands/people/invitations.js';
import type { Models } from '../../models/index.js';
import { presentProfile } from '../../presenters/person.js';
import { requireUser, setSessionCookie } from '../middleware/session.js';
import { validateBody } from '../middleware/validate.js';
import { commandContext } from './calls.js';

export interface InvitationRouterDeps {
  models: Models;
  clock: () => Date;
  logger: Logger;
  secureCookies: boolean;
}

/**
 * POST /api/calls/:callId/invitations (staff), and the invitee's public pages:
 * GET /api/invitations/:token, POST /api/invitations/:token/accept.
 */
export function invitationsRouter(deps: InvitationRouterDeps): Router {
  const router = Router();
  router.post('/calls/:callId/invitations', requireUser, validateBody(InvitationCreateSchema), async (req, res) => {
    const ctx = commandContext(deps, req);
    const result = await createInvitation(ctx, req.params.callId as string, req.body as InvitationCreateInput);
    // There is no mail server: the link goes to the inviting admin and to the log.
    deps.logger.info(
      { callId: result.invitation.callId, email: result.invitation.email, role: result.invitation.role, link: result.link },
      'invitation created',
    );
    res.status(201).json(result);
  });
  router.get('/invitations/:token', async (req, res) => {
    res.json({ invitation: await showInvitation(deps.models, req.params.token as string, deps.clock()) });
  });
  router.post('/invitations/:token/accept', validateBody(InvitationAcceptBodySchema), async (req, res) => {
    const { sessionToken, user, callId } = await acceptInvitation(
      deps.models,
      req.params.token as string,
      req.body as InvitationAcceptBody,
      {
        ip: req.ip,
        userAgent: req.get('user-agent'),
        previousToken: req.sessionToken,
        signedIn: req.user ? { id: req.user.id, email: req.user.email } : undefined,
      },
      deps.clock(),
    );
    if (sessionToken) setSessionCookie(res, sessionToken, deps.secureCookies);
    res.json({ user: presentProfile(user), callId });
  });
  return router;
}
