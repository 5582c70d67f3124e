import { Router } from 'express';
import { z } from 'zod';
import { ConflictDeclareSchema, ConflictResolveSchema, type ConflictDeclareInput } from '../../../shared/schemas/conflict.js';
import { declareConflict, listConflicts, resolveConflict } from '../../commands/conflicts/conflictCommands.js';
import { requireUser } from '../middleware/session.js';
import { validateBody } from '../middleware/validate.js';
import { commandContext, type RouteDeps } from './calls.js';

const ConflictResolveBody = ConflictResolveSchema;

/** POST /api/conflicts (declare your own), GET /api/calls/:callId/conflicts, PATCH /api/conflicts/:conflictId (staff rule). */
export function conflictsRouter(deps: RouteDeps): Router {
  const router = Router();
  router.post('/conflicts', requireUser, validateBody(ConflictDeclareSchema), async (req, res) => {
    res.status(201).json({ conflict: await declareConflict(commandContext(deps, req), req.body as ConflictDeclareInput) });
  });
  router.get('/calls/:callId/conflicts', requireUser, async (req, res) => {
    res.json({ conflicts: await listConflicts(commandContext(deps, req), req.params.callId as string) });
  });
  router.patch('/conflicts/:conflictId', requireUser, validateBody(ConflictResolveBody), async (req, res) => {
    const body = req.body as z.infer<typeof ConflictResolveBody>;
    res.json({ conflict: await resolveConflict(commandContext(deps, req), req.params.conflictId as string, body) });
  });
  return router;
}
