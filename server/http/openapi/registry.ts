import type { z } from 'zod';

/** HTTP methods the API uses. */
export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** A zod schema with the name it has under `components.schemas`. */
export interface NamedSchema {
  name: string;
  schema: z.ZodType;
}

/** What the OpenAPI document says about one route. */
export interface RouteDoc {
  method: HttpMethod;
  /** Express-style path under `/api`, e.g. `/proposals/:proposalId/reviews/mine`. */
  path: string;
  /** Groups routes in the document (`reviews`, `ranking`, ...). */
  tag: string;
  summary: string;
  description?: string;
  /** The JSON request body; validated by the same schema in the route. */
  body?: NamedSchema;
  /** Query parameters: each property of the object is one parameter. */
  query?: z.ZodObject;
  /** Success status; 200 unless given. */
  status?: number;
  /** What a success returns: JSON (described, optionally with a schema), or a file such as CSV. */
  response?: { description: string; contentType?: string; schema?: NamedSchema };
  /** No session needed (login, the document itself). */
  public?: boolean;
}

// Route documentation is static metadata: registering the same method and path again replaces the
// entry, so importing a route module twice (or in several test servers) changes nothing.
const routes = new Map<string, RouteDoc>();

/**
 * Adds routes to the API description (one call per route, usually at the top of the route file
 * beside the handler it describes).
 */
export function registerRoutes(...docs: RouteDoc[]): void {
  for (const doc of docs) routes.set(`${doc.method.toUpperCase()} ${doc.path}`, doc);
}

/** Every registered route, ordered by path then method. */
export function registeredRoutes(): RouteDoc[] {
  return [...routes.values()].sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}
