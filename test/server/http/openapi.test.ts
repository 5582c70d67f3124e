import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp } from '../../../server/http/app.js';
import type { RunningGodo } from '../../../server/index.js';
import { startTestGodo } from '../../helpers/godo.js';
import { HttpClient } from '../../helpers/httpClient.js';

let godo: RunningGodo;
let doc: any;

type Layer = { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } };

/** Every method and path the Express routers under /api answer (the health check lives outside /api). */
function mountedRoutes(stack: Layer[]): { method: string; path: string }[] {
  return stack.flatMap((layer) => {
    if (layer.route) {
      return Object.keys(layer.route.methods)
        .filter((method) => method !== '_all')
        .map((method) => ({ method, path: layer.route!.path }));
    }
    return layer.handle?.stack ? mountedRoutes(layer.handle.stack) : [];
  });
}

beforeAll(async () => {
  godo = await startTestGodo();
  const res = await new HttpClient(godo.url).get('/api/openapi.json');
  expect(res.status).toBe(200);
  doc = res.body;
});
afterAll(async () => {
  await godo?.close();
});

describe('GET /api/openapi.json', () => {
  it('is an OpenAPI 3.1 document, public, with the session cookie as security scheme', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: 'Godo API', version: expect.any(String) });
    expect(doc.components.securitySchemes.session).toEqual({ type: 'apiKey', in: 'cookie', name: 'godo_session' });
    expect(doc.paths['/api/openapi.json'].get.security).toEqual([]);
  });

  it('describes every route the server answers under /api, and no other', () => {
    // A second app from the same factory: the running server's listener is wrapped by Socket.IO.
    const app = createHttpApp({ db: godo.db, models: godo.models, logger: godo.logger, clock: () => new Date(), secureCookies: false, collabDocuments: () => godo.collab.registry }) as unknown as {
      router: { stack: Layer[] };
    };
    const routes = mountedRoutes(app.router.stack).filter((route) => route.path.startsWith('/') && route.path !== '/healthz' && !route.path.includes('*'));
    expect(routes.length).toBeGreaterThan(30);
    const missing = routes.filter(({ method, path }) => !doc.paths[`/api${path.replace(/:(\w+)/g, '{$1}')}`]?.[method]);
    expect(missing).toEqual([]);
    const served = new Set(routes.map(({ method, path }) => `${method} /api${path.replace(/:(\w+)/g, '{$1}')}`));
    const documented = Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item as object).map((method) => `${method} ${path}`));
    expect(documented.filter((route) => !served.has(route))).toEqual([]);
  });

  it('takes request bodies from the zod schemas the routes validate with', () => {
    const put = doc.paths['/api/proposals/{proposalId}/reviews/mine'].put;
    expect(put.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ReviewPut' });
    expect(put.parameters).toEqual([{ name: 'proposalId', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9a-f]{24}$' } }]);
    const review = doc.components.schemas.ReviewPut;
    expect(review.required).toEqual(expect.arrayContaining(['scores', 'comments', 'confidence', 'submit', 'version']));
    expect(review.additionalProperties).toBe(false);
    expect(review.properties.confidence).toMatchObject({ type: 'integer', minimum: 1, maximum: 5 });
    expect(doc.components.schemas.RankingMove.required).toEqual(expect.arrayContaining(['proposalId', 'toPosition', 'reason', 'version']));
    for (const name of ['ConsensusPut', 'DecisionSet', 'RankingTiers', 'ConflictResolve', 'PhaseChange']) {
      expect(doc.components.schemas[name].required, name).toContain('version');
    }
    expect(doc.components.schemas.RankingMove.properties.reason).toMatchObject({ type: 'string', minLength: 1 });
    expect(doc.components.schemas.DecisionSet.properties.kind.enum).toEqual(['fund', 'fund_with_conditions', 'reserve', 'reject']);
    for (const name of ['ConsensusPut', 'SignOff', 'RankingTiers', 'CallCreate', 'Login', 'ProposalCreate', 'ConflictDeclare', 'AssignmentCreate', 'Membership', 'InvitationCreate']) {
      expect(doc.components.schemas, name).toHaveProperty([name]);
    }
  });

  it('documents query parameters, downloads and error responses', () => {
    const auditGet = doc.paths['/api/calls/{callId}/audit'].get;
    expect(auditGet.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual([
      'path:callId', 'query:action', 'query:proposalId', 'query:actorId', 'query:from', 'query:to', 'query:limit', 'query:offset',
    ]);
    expect(Object.keys(doc.paths['/api/calls/{callId}/export/scores.csv'].get.responses['200'].content)).toEqual(['text/csv']);
    const move = doc.paths['/api/calls/{callId}/ranking/moves'].post.responses;
    expect(Object.keys(move).sort()).toEqual(['200', '400', '401', '403', '404', '409']);
    expect(move['409'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ApiError' });
    expect(doc.paths['/api/proposals/{proposalId}/signoffs'].post.responses).toHaveProperty(['201']);
  });

  it('gives every operation a unique id and a tag', () => {
    const operations = Object.values(doc.paths).flatMap((item: any) => Object.values(item)) as { operationId: string; tags: string[] }[];
    const ids = operations.map((op) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(operations.every((op) => op.tags.length === 1)).toBe(true);
  });
});
