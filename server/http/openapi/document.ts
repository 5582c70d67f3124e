import { z } from 'zod';
import { ApiErrorSchema } from '../../../shared/schemas/apiError.js';
import { SESSION_COOKIE } from '../middleware/session.js';
import type { RouteDoc } from './registry.js';

type JsonSchema = Record<string, unknown>;

/** A zod schema as JSON Schema 2020-12 (what OpenAPI 3.1 uses), describing what clients send. */
export function jsonSchema(schema: z.ZodType): JsonSchema {
  // io 'input': bodies are described as sent (before transforms such as e-mail lower-casing);
  // 'any' for parts JSON Schema cannot express (refinements), which the server still checks.
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  return rest;
}

/** `/calls/:callId/ranking` → `/calls/{callId}/ranking`. */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
}

function pathParameters(path: string) {
  return [...path.matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: name.endsWith('Id') ? { type: 'string', pattern: '^[0-9a-f]{24}$' } : { type: 'string' },
  }));
}

function queryParameters(query: z.ZodObject | undefined) {
  if (!query) return [];
  return Object.entries(query.shape).map(([name, schema]) => ({
    name,
    in: 'query',
    required: !(schema as z.ZodType).safeParse(undefined).success,
    schema: jsonSchema(schema as z.ZodType),
  }));
}

const errorRef = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } },
});

function operation(route: RouteDoc, components: Record<string, JsonSchema>) {
  const status = String(route.status ?? 200);
  const response = route.response ?? { description: 'OK' };
  if (response.schema) components[response.schema.name] ??= jsonSchema(response.schema.schema);
  const success =
    status === '204'
      ? { description: response.description }
      : {
          description: response.description,
          content: {
            [response.contentType ?? 'application/json']: {
              schema: response.schema ? { $ref: `#/components/schemas/${response.schema.name}` } : {},
            },
          },
        };
  const responses: Record<string, unknown> = { [status]: success };
  if (route.body || route.query) responses['400'] = errorRef('A field is not valid or breaks a rule (see error.fields)');
  if (!route.public) {
    responses['401'] = errorRef('Not signed in');
    responses['403'] = errorRef('Signed in but not allowed');
    responses['404'] = errorRef('Not found, or not visible to you (non-members and conflicted people get 404)');
  }
  if (route.method !== 'get') responses['409'] = errorRef('Stale version or another state conflict');
  const op: Record<string, unknown> = {
    operationId: `${route.method}${openApiPath(route.path).replace(/[{}]/g, '').split(/[/.-]/).map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('')}`,
    tags: [route.tag],
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    parameters: [...pathParameters(route.path), ...queryParameters(route.query)],
    responses,
    ...(route.public ? { security: [] } : {}),
  };
  if (route.body) {
    components[route.body.name] ??= jsonSchema(route.body.schema);
    op.requestBody = {
      required: true,
      content: { 'application/json': { schema: { $ref: `#/components/schemas/${route.body.name}` } } },
    };
  }
  return op;
}

/**
 * The OpenAPI 3.1 document of the registered routes: paths under `/api`, request bodies and query
 * parameters from the very zod schemas the routes validate with, the error body, and the session
 * cookie as the security scheme.
 */
export function openApiDocument(routes: readonly RouteDoc[], info: { version: string }) {
  const components: Record<string, JsonSchema> = { ApiError: jsonSchema(ApiErrorSchema) };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = `/api${openApiPath(route.path)}`;
    paths[path] ??= {};
    paths[path][route.method] = operation(route, components);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Godo API',
      version: info.version,
      description: 'Joint review of international research proposals (JST SICORP and partner agencies).',
    },
    servers: [{ url: '/' }],
    security: [{ session: [] }],
    tags: [...new Set(routes.map((route) => route.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: components,
      securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE } },
    },
  };
}
