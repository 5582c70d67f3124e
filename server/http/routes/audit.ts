import { Router } from 'express';
import { z } from 'zod';
import { IdSchema, InstantSchema } from '../../../shared/schemas/common.js';
import { readAudit } from '../../commands/audit/readAudit.js';
import { ValidationError } from '../../errors.js';
import { requireUser } from '../middleware/session.js';
import { zodFields } from '../middleware/validate.js';
import { registerRoutes } from '../openapi/registry.js';
import { commandContext, type RouteDeps } from './calls.js';

/**
 * Query of `GET /calls/:id/audit`. Strict and string-typed, so `?action[$gt]=` or a repeated
 * parameter is a 400, never an operator reaching the database.
 */
export const AuditQuerySchema = z.strictObject({
  action: z.string().regex(/^[a-z][A-Za-z]*(\.[a-z][A-Za-z]*)+$/, 'must look like review.submitted').max(64).optional(),
  proposalId: IdSchema.optional(),
  actorId: IdSchema.optional(),
  from: InstantSchema.optional(),
  to: InstantSchema.optional(),
  limit: z.string().regex(/^\d{1,3}$/).transform(Number).pipe(z.number().int().min(1).max(200)).optional(),
  offset: z.string().regex(/^\d{1,7}$/).transform(Number).optional(),
});

registerRoutes({
  method: 'get',
  path: '/calls/:callId/audit',
  tag: 'audit',
  summary: 'The audit log, newest first (staff)',
  description: 'Entries about proposals the reader is conflicted with are removed. `nextOffset` is null on the last page.',
  query: AuditQuerySchema,
  response: { description: '`{ entries, nextOffset }`' },
});

/** The audit log of a call: /api/calls/:callId/audit. */
export function auditRouter(deps: RouteDeps): Router {
  const router = Router();
  router.get('/calls/:callId/audit', requireUser, async (req, res) => {
    const parsed = AuditQuerySchema.safeParse(req.query);
    if (!parsed.success) throw new ValidationError('Some query parameters are not valid', zodFields(parsed.error));
    const { limit = 50, offset = 0, ...filters } = parsed.data;
    res.json(await readAudit(commandContext(deps, req), req.params.callId as string, { ...filters, limit, offset }));
  });
  return router;
}
