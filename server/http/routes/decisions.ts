import { Router } from 'express';
import type { z } from 'zod';
import { DecisionSetSchema, SignOffSchema, type SignOffInput } from '../../../shared/schemas/decision.js';
import { getDecision, setDecision, signOffDecision } from '../../commands/decisions/decisionCommands.js';
import { requireUser } from '../middleware/session.js';
import { validateBody } from '../middleware/validate.js';
import { registerRoutes } from '../openapi/registry.js';
import { commandContext, type RouteDeps } from './calls.js';

// safeExtend keeps the schema's refinement (conditions go with, and only with, fund_with_conditions).
const DecisionBody = DecisionSetSchema;

registerRoutes(
  {
    method: 'get',
    path: '/proposals/:proposalId/decision',
    tag: 'decisions',
    summary: "The decision and each participating agency's sign-off (valid, voided or missing)",
    response: { description: '`{ decision }` with `contentHash` to sign' },
  },
  {
    method: 'put',
    path: '/proposals/:proposalId/decision',
    tag: 'decisions',
    summary: 'Set the joint decision',
    description: 'Moderators, in panel or finalization. Optimistic `version`; voids sign-offs on earlier content.',
    body: { name: 'DecisionSet', schema: DecisionBody },
    response: { description: '`{ decision }`' },
  },
  {
    method: 'post',
    path: '/proposals/:proposalId/signoffs',
    tag: 'decisions',
    summary: "Sign off the decision for my agency (JST's PO/PD, or a counterpart's officer)",
    description: 'Send the `contentHash` you were shown; a changed content is a 409 `signoff_stale`.',
    body: { name: 'SignOff', schema: SignOffSchema },
    status: 201,
    response: { description: '`{ decision }`' },
  },
);

/** Decisions and sign-offs: /api/proposals/:proposalId/decision, /signoffs. */
export function decisionsRouter(deps: RouteDeps): Router {
  const router = Router();
  router.get('/proposals/:proposalId/decision', requireUser, async (req, res) => {
    res.json({ decision: await getDecision(commandContext(deps, req), req.params.proposalId as string) });
  });
  router.put('/proposals/:proposalId/decision', requireUser, validateBody(DecisionBody), async (req, res) => {
    res.json({ decision: await setDecision(commandContext(deps, req), req.params.proposalId as string, req.body as z.infer<typeof DecisionBody>) });
  });
  router.post('/proposals/:proposalId/signoffs', requireUser, validateBody(SignOffSchema), async (req, res) => {
    res.status(201).json({ decision: await signOffDecision(commandContext(deps, req), req.params.proposalId as string, req.body as SignOffInput) });
  });
  return router;
}
