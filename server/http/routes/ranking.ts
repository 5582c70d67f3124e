import { Router } from 'express';
import type { z } from 'zod';
import { RankingMoveSchema, RankingTiersSchema } from '../../../shared/schemas/ranking.js';
import { getRanking, moveInRanking, setTiers } from '../../commands/ranking/rankingCommands.js';
import { requireUser } from '../middleware/session.js';
import { validateBody } from '../middleware/validate.js';
import { registerRoutes } from '../openapi/registry.js';
import { commandContext, type RouteDeps } from './calls.js';

const RankingMoveBody = RankingMoveSchema;
const RankingTiersBody = RankingTiersSchema;

registerRoutes(
  {
    method: 'get',
    path: '/calls/:callId/ranking',
    tag: 'ranking',
    summary: "Each agency's ranking side by side, the joint list with tiers and funding lines, the moves",
    description: 'Proposals the viewer is conflicted with are left out entirely.',
    response: { description: '`{ ranking }`' },
  },
  {
    method: 'post',
    path: '/calls/:callId/ranking/moves',
    tag: 'ranking',
    summary: 'Move a proposal in the joint list, with a reason',
    body: { name: 'RankingMove', schema: RankingMoveBody },
    response: { description: '`{ ranking }`' },
  },
  {
    method: 'put',
    path: '/calls/:callId/ranking/tiers',
    tag: 'ranking',
    summary: 'Cut the joint list into tiers',
    body: { name: 'RankingTiers', schema: RankingTiersBody },
    response: { description: '`{ ranking }`' },
  },
);

/** The joint ranking of a call: /api/calls/:callId/ranking, /moves, /tiers. */
export function rankingRouter(deps: RouteDeps): Router {
  const router = Router();
  router.get('/calls/:callId/ranking', requireUser, async (req, res) => {
    res.json({ ranking: await getRanking(commandContext(deps, req), req.params.callId as string) });
  });
  router.post('/calls/:callId/ranking/moves', requireUser, validateBody(RankingMoveBody), async (req, res) => {
    res.json({ ranking: await moveInRanking(commandContext(deps, req), req.params.callId as string, req.body as z.infer<typeof RankingMoveBody>) });
  });
  router.put('/calls/:callId/ranking/tiers', requireUser, validateBody(RankingTiersBody), async (req, res) => {
    res.json({ ranking: await setTiers(commandContext(deps, req), req.params.callId as string, req.body as z.infer<typeof RankingTiersBody>) });
  });
  return router;
}
