import type { ErrorCode } from '../../shared/schemas/apiError';

/** Codes the client itself produces besides the server's (see shared/schemas/apiError.ts). */
export type ClientErrorCode = 'network' | 'bad_response';

/**
 * A failed API call: the server's stable `code` (translated by the client), its message, and the
 * per-field problems of a validation error. `status` is 0 when the server could not be reached.
 */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | ClientErrorCode | (string & {}),
    message: string,
    readonly fields: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

/** A save refused because a newer version was stored first (409 `version_conflict`). */
export const isVersionConflict = (error: unknown): boolean => error instanceof ApiRequestError && error.code === 'version_conflict';

/** Listeners told whether the server answered the last request (for the connection indicator). */
const reachability = new Set<(reachable: boolean) => void>();

/** Subscribes to "the server answered / could not be reached"; returns the unsubscribe function. */
export function onReachabilityChange(listener: (reachable: boolean) => void): () => void {
  reachability.add(listener);
  return () => reachability.delete(listener);
}

function report(reachable: boolean): void {
  for (const listener of reachability) listener(reachable);
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Calls the Godo API with the session cookie and JSON bodies. Resolves with the parsed body
 * (undefined for 204).
 * @throws ApiRequestError with the server's error code, or `network` when it did not answer.
 */
export async function api<T>(method: Method, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`/api${path}`, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    report(false);
    throw new ApiRequestError(0, 'network', 'The server could not be reached');
  }
  report(true);
  if (response.status === 204) return undefined as T;
  let parsed: unknown;
  try {
    parsed = await response.json();
  } catch {
    throw new ApiRequestError(response.status, 'bad_response', `Unexpected answer (${response.status})`);
  }
  if (!response.ok) {
    const error = (parsed as { error?: { code?: string; message?: string; fields?: Record<string, string> } }).error;
    throw new ApiRequestError(response.status, error?.code ?? 'internal', error?.message ?? response.statusText, error?.fields ?? {});
  }
  return parsed as T;
}

/** Builds a query string from defined values only. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
