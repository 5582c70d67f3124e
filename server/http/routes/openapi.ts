import { Router } from 'express';
import { createRequire } from 'node:module';
import { openApiDocument } from '../openapi/document.js';
import { registerRoutes, registeredRoutes } from '../openapi/registry.js';
import '../openapi/otherRoutes.js';

const { version } = createRequire(import.meta.url)('../../../package.json') as { version: string };

registerRoutes({
  method: 'get',
  path: '/openapi.json',
  tag: 'meta',
  summary: 'This API description (OpenAPI 3.1, generated from the zod schemas the routes validate with)',
  public: true,
  response: { description: 'OpenAPI 3.1 document' },
});

/** GET /api/openapi.json. Built on request, so routes registered by modules loaded later are included. */
export function openApiRouter(): Router {
  const router = Router();
  router.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument(registeredRoutes(), { version }));
  });
  return router;
}
