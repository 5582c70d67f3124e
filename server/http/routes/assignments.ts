import { Router } from 'express';
import { AssignmentAcceptSchema, AssignmentCreateSchema, type AssignmentAcceptInput, type AssignmentCreateInput } from '../../../shared/schemas/assignment.js';
import { acceptAssignment, createAssignment, listAssignments, removeAssignment } from '../../commands/assignments/assignmentCommands.js';
import { requireUser } from '../middleware/session.js';
import { validateBody } from '../middleware/validate.js';
import { commandContext, type RouteDeps } from './calls.js';

/**
 * POST and GET /api/calls/:callId/assignments, DELETE /api/assignments/:assignmentId,
 * POST /api/assignments/:assignmentId/accept. A reviewer with a conflict is refused with
 * 409 `conflict_of_interest` (the request is well-formed and allowed; the state forbids it).
 */
export function assignmentsRouter(deps: RouteDeps): Router {
  const router = Router();
  router.post('/calls/:callId/assignments', requireUser, validateBody(AssignmentCreateSchema), async (req, res) => {
    const assignment = await createAssignment(commandContext(deps, req), req.params.callId as string, req.body as AssignmentCreateInput);
    res.status(201).json({ assignment });
  });
  router.get('/calls/:callId/assignments', requireUser, async (req, res) => {
    res.json(await listAssignments(commandContext(deps, req), req.params.callId as string));
  });
  router.delete('/assignments/:assignmentId', requireUser, async (req, res) => {
    await removeAssignment(commandContext(deps, req), req.params.assignmentId as string);
    res.status(204).end();
  });
  router.post('/assignments/:assignmentId/accept', requireUser, validateBody(AssignmentAcceptSchema), async (req, res) => {
    const assignment = await acceptAssignment(commandContext(deps, req), req.params.assignmentId as string, req.body as AssignmentAcceptInput);
    res.json({ assignment });
  });
  return router;
}
