import { Router } from 'express';
import { MembershipSchema, type MembershipInput } from '../../../shared/schemas/person.js';
import { listMembers, removeMember, upsertMember } from '../../commands/people/members.js';
import { requireUser } from '../middleware/session.js';
import { validateBody } from '../middleware/validate.js';
import { commandContext, type RouteDeps } from './calls.js';

/** GET and PUT /api/calls/:callId/members, DELETE /api/calls/:callId/members/:userId. */
export function membersRouter(deps: RouteDeps): Router {
  const router = Router();
  router.get('/calls/:callId/members', requireUser, async (req, res) => {
    res.json(await listMembers(commandContext(deps, req), req.params.callId as string));
  });
  router.put('/calls/:callId/members', requireUser, validateBody(MembershipSchema), async (req, res) => {
    const { member, created } = await upsertMember(commandContext(deps, req), req.params.callId as string, req.body as MembershipInput);
    res.status(created ? 201 : 200).json({ member });
  });
  router.delete('/calls/:callId/members/:userId', requireUser, async (req, res) => {
    await removeMember(commandContext(deps, req), req.params.callId as string, req.params.userId as string);
    res.status(204).end();
  });
  return router;
}
