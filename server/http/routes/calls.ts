import { Router, type Request } from 'express';
import { z } from 'zod';
import { CallCreateSchema, CallUpdateSchema, PhaseChangeSchema } from '../../../shared/schemas/call.js';
import { VersionSchema } from '../../../shared/schemas/common.js';
import type { Models } from '../../models/index.js';
import { changePhase, createCall, getCall, listCalls, type CommandContext } from '../../commands/calls/callCommands.js';
import { updateCall } from '../../commands/calls/updateCall.js';
import { getCallReconciliation } from '../../commands/reconciliation/callReconciliation.js';
import { requireUser } from '../middleware/session.js';
import { validateBody } from '../middleware/validate.js';
import { registerRoutes } from '../openapi/registry.js';

registerRoutes({
  method: 'get',
  path: '/calls/:callId/reconciliation',
  tag: 'reviews',
  summary: "Every proposal's score summary for the heat map",
  description:
    'Per proposal: per criterion and for the weighted total the mean, spread, mean per agency, cross-agency gap and pass/fail; flags; submitted and missing review counts. Only proposals whose reconciliation the caller may read (the rules of GET /proposals/:proposalId/reconciliation); proposals the caller is conflicted with are left out entirely.',
  response: { description: '`{ reconciliation: { callId, thresholds, proposals } }`' },
});

export interface RouteDeps {
  models: Models;
  clock: () => Date;
}

/** The command context of a signed-in request. */
export function commandContext(deps: RouteDeps, req: Request): CommandContext {
  const user = req.user!;
  return { models: deps.models, user: { id: user.id, isAdmin: user.isAdmin, timeZone: user.timeZone, name: user.name }, now: deps.clock() };
}

// `version` is part of the shared schema and required: a missing one is a 400, never a blind overwrite.
const PhaseChangeBody = PhaseChangeSchema;
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
  router.get('/calls/:callId/reconciliation', async (req, res) => {
    res.json({ reconciliation: await getCallReconciliation(commandContext(deps, req), req.params.callId as string) });
  });
  router.post('/calls/:callId/phase', validateBody(PhaseChangeBody), async (req, res) => {
    res.json({ call: await changePhase(commandContext(deps, req), req.params.callId as string, req.body as z.infer<typeof PhaseChangeBody>) });
  });
  return router;
}
