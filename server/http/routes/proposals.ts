import { Router } from 'express';
import { z } from 'zod';
import { VersionSchema } from '../../../shared/schemas/common.js';
import { ProposalCreateSchema, ProposalUpdateSchema, type ProposalCreateInput } from '../../../shared/schemas/proposal.js';
import { createProposal, getProposal, listProposals, updateProposal } from '../../commands/proposals/proposalCommands.js';
import { requireUser } from '../middleware/session.js';
import { validateBody } from '../middleware/validate.js';
import { commandContext, type RouteDeps } from './calls.js';

const ProposalPatchBody = ProposalUpdateSchema.safeExtend({ version: VersionSchema });

/** POST and GET /api/calls/:callId/proposals, GET and PATCH /api/proposals/:proposalId. */
export function proposalsRouter(deps: RouteDeps): Router {
  const router = Router();
  router.post('/calls/:callId/proposals', requireUser, validateBody(ProposalCreateSchema), async (req, res) => {
    res.status(201).json({ proposal: await createProposal(commandContext(deps, req), req.params.callId as string, req.body as ProposalCreateInput) });
  });
  router.get('/calls/:callId/proposals', requireUser, async (req, res) => {
    res.json({ proposals: await listProposals(commandContext(deps, req), req.params.callId as string) });
  });
  router.get('/proposals/:proposalId', requireUser, async (req, res) => {
    res.json({ proposal: await getProposal(commandContext(deps, req), req.params.proposalId as string) });
  });
  router.patch('/proposals/:proposalId', requireUser, validateBody(ProposalPatchBody), async (req, res) => {
    const body = req.body as z.infer<typeof ProposalPatchBody>;
    res.json({ proposal: await updateProposal(commandContext(deps, req), req.params.proposalId as string, body) });
  });
  return router;
}
