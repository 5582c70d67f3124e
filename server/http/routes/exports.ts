import { Router } from 'express';
import { exportCallJson, exportRankingCsv, exportScoresCsv } from '../../commands/exports/exportCommands.js';
import { attachment } from '../../presenters/csv.js';
import { requireUser } from '../middleware/session.js';
import { registerRoutes } from '../openapi/registry.js';
import { commandContext, type RouteDeps } from './calls.js';

const csv = { description: 'UTF-8 CSV with a byte order mark (opens in Excel), formula-safe', contentType: 'text/csv' };

registerRoutes(
  { method: 'get', path: '/calls/:callId/export/scores.csv', tag: 'exports', summary: 'Scores matrix: one row per proposal × reviewer (staff)', response: csv },
  { method: 'get', path: '/calls/:callId/export/ranking.csv', tag: 'exports', summary: 'The joint ranking with tiers and funding lines (staff)', response: csv },
  {
    method: 'get',
    path: '/calls/:callId/export/call.json',
    tag: 'exports',
    summary: 'The whole call: call, proposals, reviews, consensus, ranking, decisions (staff)',
    response: { description: 'JSON download' },
  },
);

/** Downloads of a call: /api/calls/:callId/export/{scores.csv,ranking.csv,call.json}. Conflicted rows never appear. */
export function exportsRouter(deps: RouteDeps): Router {
  const router = Router();
  router.get('/calls/:callId/export/scores.csv', requireUser, async (req, res) => {
    const callId = req.params.callId as string;
    const body = await exportScoresCsv(commandContext(deps, req), callId);
    res.type('text/csv; charset=utf-8').set('Content-Disposition', attachment(`godo-${callId}-scores.csv`)).send(body);
  });
  router.get('/calls/:callId/export/ranking.csv', requireUser, async (req, res) => {
    const callId = req.params.callId as string;
    const body = await exportRankingCsv(commandContext(deps, req), callId);
    res.type('text/csv; charset=utf-8').set('Content-Disposition', attachment(`godo-${callId}-ranking.csv`)).send(body);
  });
  router.get('/calls/:callId/export/call.json', requireUser, async (req, res) => {
    const callId = req.params.callId as string;
    const body = await exportCallJson(commandContext(deps, req), callId);
    res.set('Content-Disposition', attachment(`godo-${callId}-call.json`)).json(body);
  });
  return router;
}
