import { Router, type Request } from 'express';
import { z } from 'zod';
import { CallCreateSchema, CallUpdateSchema, PhaseChangeSchema } from '../../../shared/schemas/call.js';
import { VersionSchema } from '../../../shared/schemas/common.js';
import type { Models } from '../../models/index.js';
import { changePhase, createCall, getCall, listCalls, type CommandContext } from '../../commands/calls/callCommands.js';
import { updateCall } from '../../commands/calls/updateCall.js';
import { requireUser } from '../middleware/session.js';
import { validateBody } from '../middleware/validate.js';

export interface RouteDeps {
  models: Models;
  clock: () => Date;
}

/** The command context of a signed-in request. */
export function commandContext(deps: RouteDeps, req: Request): CommandContext {
  const user = req.user!;
  return { models: deps.models, user: { id: user.id, isAdmin: user.isAdmin, timeZone: user.timeZone }, now: deps.clock() };
}

const PhaseChangeBody = PhaseChangeSchema.extend({ version: VersionSchema.optional() });
const CallPatchBody = CallUpdateSchema.safeExtend({ version: VersionSchema });

/** /api/calls: list, create, read, update, phase changes. */
export function callsRouter(deps: RouteDeps): Router {
  const router = Router();
  router.use('/calls', requireUser);
  router.get('/calls', async (req, res) => {
    res.json({ calls: await listCalls(commandContext(deps, req)) });
  });
  router.post('/calls', validateBody(CallCreateSchema), async (req, res) => {
    res.status(201).json({ call: await createCall(commandContext(deps, req), req.body) });
  });
  router.get('/calls/:callId', async (req, res) => {
    res.json({ call: await getCall(commandContext(deps, req), req.params.callId as string) });
  });
  router.patch('/calls/:callId', validateBody(CallPatchBody), async (req, res) => {
    res.json({ call: await updateCall(commandContext(deps, req), req.params.callId as string, req.body as z.infer<typeof CallPatchBody>) });
  });
  router.post('/calls/:callId/phase', validateBody(PhaseChangeBody), async (req, res) => {
    res.json({ call: await changePhase(commandContext(deps, req), req.params.callId as string, req.body as z.infer<typeof PhaseChangeBody>) });
  });
  return router;
}
