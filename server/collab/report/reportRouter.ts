import { Router, type Request } from 'express';
import type { z } from 'zod';
import {
  ReportDiffQuerySchema,
  ReportExportQuerySchema,
  ReportVersionCreateSchema,
  type ReportVersionCreateInput,
} from '../../../shared/collab/reportVersions.js';
import { ValidationError } from '../../errors.js';
import { requireUser } from '../../http/middleware/session.js';
import { validateBody, zodFields } from '../../http/middleware/validate.js';
import { registerRoutes } from '../../http/openapi/registry.js';
import { commandContext, type RouteDeps } from '../../http/routes/calls.js';
import type { DocumentRegistry } from '../registry.js';
import { createReportVersion, diffReportVersions, exportReport, listReportVersions, restoreReportVersion, type ReportContext } from './versionCommands.js';

/** Route dependencies plus the live documents (a getter: the collaboration server starts after the HTTP app). */
export interface ReportRouteDeps extends RouteDeps {
  documents: () => DocumentRegistry;
}

const BASE = '/proposals/:proposalId/report';

registerRoutes(
  { method: 'get', path: `${BASE}/versions`, tag: 'report', summary: 'Named versions of the consensus report, newest first', response: { description: '`{ versions }`' } },
  {
    method: 'post',
    path: `${BASE}/versions`,
    tag: 'report',
    summary: 'Save the report as it is now under a label',
    description: 'Needs `report:edit`. Unsaved live edits are included.',
    body: { name: 'ReportVersionCreate', schema: ReportVersionCreateSchema },
    status: 201,
    response: { description: '`{ version }`' },
  },
  {
    method: 'get',
    path: `${BASE}/versions/diff`,
    tag: 'report',
    summary: 'What changed between two versions (or a version and `current`)',
    query: ReportDiffQuerySchema,
    response: { description: '`{ diff }`: per section and language, and per minority view, parts marked equal/insert/delete' },
  },
  {
    method: 'post',
    path: `${BASE}/versions/:versionId/restore`,
    tag: 'report',
    summary: 'Restore a version into the live report',
    description: 'Needs `report:edit`. The report as it was just before is saved as a version first.',
    response: { description: '`{ restored, backup }`' },
  },
  {
    method: 'get',
    path: `${BASE}/export`,
    tag: 'report',
    summary: 'The report as Markdown or printable HTML',
    query: ReportExportQuerySchema,
    response: { description: 'The file', contentType: 'text/markdown' },
  },
);

function parseQuery<S extends z.ZodType>(schema: S, req: Request): z.infer<S> {
  const parsed = schema.safeParse(req.query);
  if (!parsed.success) throw new ValidationError('Some query parameters are not valid', zodFields(parsed.error));
  return parsed.data;
}

/**
 * The consensus report's named versions and exports: /api/proposals/:proposalId/report/...
 * (the live text itself is edited over the collaboration websocket).
 */
export function reportRouter(deps: ReportRouteDeps): Router {
  const router = Router();
  const context = (req: Request): ReportContext => ({ ...commandContext(deps, req), documents: deps.documents() });
  const proposalId = (req: Request) => req.params.proposalId as string;

  router.get(`${BASE}/versions`, requireUser, async (req, res) => {
    res.json({ versions: await listReportVersions(context(req), proposalId(req)) });
  });
  router.post(`${BASE}/versions`, requireUser, validateBody(ReportVersionCreateSchema), async (req, res) => {
    res.status(201).json({ version: await createReportVersion(context(req), proposalId(req), req.body as ReportVersionCreateInput) });
  });
  router.get(`${BASE}/versions/diff`, requireUser, async (req, res) => {
    res.json({ diff: await diffReportVersions(context(req), proposalId(req), parseQuery(ReportDiffQuerySchema, req)) });
  });
  router.post(`${BASE}/versions/:versionId/restore`, requireUser, async (req, res) => {
    res.json(await restoreReportVersion(context(req), proposalId(req), req.params.versionId as string));
  });
  router.get(`${BASE}/export`, requireUser, async (req, res) => {
    const file = await exportReport(context(req), proposalId(req), parseQuery(ReportExportQuerySchema, req));
    res.type(file.contentType).set('Content-Disposition', `attachment; filename="${file.filename}"`).send(file.body);
  });
  return router;
}
