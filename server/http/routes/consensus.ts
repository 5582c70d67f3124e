import { Router } from 'express';
import { ConsensusPutSchema, type ConsensusPutInput } from '../../../shared/schemas/consensus.js';
import { getConsensus, putConsensus } from '../../commands/consensus/consensusCommands.js';
import { requireUser } from '../middleware/session.js';
import { validateBody } from '../middleware/validate.js';
import { registerRoutes } from '../openapi/registry.js';
import { commandContext, type RouteDeps } from './calls.js';

registerRoutes(
  { method: 'get', path: '/proposals/:proposalId/consensus', tag: 'consensus', summary: 'The consensus (null before the first save)', response: { description: '`{ consensus }`' } },
  {
    method: 'put',
    path: '/proposals/:proposalId/consensus',
    tag: 'consensus',
    summary: 'Replace the consensus',
    description: 'Moderators or the rapporteur, in panel or finalization, until every agency has signed off. Optimistic `version`; voids sign-offs.',
    body: { name: 'ConsensusPut', schema: ConsensusPutSchema },
    response: { description: '`{ consensus }`' },
  },
);

/** The consensus of one proposal: /api/proposals/:proposalId/consensus. */
export function consensusRouter(deps: RouteDeps): Router {
  const router = Router();
  router.get('/proposals/:proposalId/consensus', requireUser, async (req, res) => {
    res.json({ consensus: await getConsensus(commandContext(deps, req), req.params.proposalId as string) });
  });
  router.put('/proposals/:proposalId/consensus', requireUser, validateBody(ConsensusPutSchema), async (req, res) => {
    res.json({ consensus: await putConsensus(commandContext(deps, req), req.params.proposalId as string, req.body as ConsensusPutInput) });
  });
  return router;
}
