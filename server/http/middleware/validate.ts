import type { RequestHandler } from 'express';
import type { z } from 'zod';
import { ValidationError } from '../../errors.js';

/** Field paths (`scores.excellence`) to messages, for the client to show next to each field. */
export function zodFields(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.map(String).join('.') : '(body)';
    fields[key] ??= issue.message;
  }
  return fields;
}

// With the `u` flag a surrogate pair is one code point, so this matches only unpaired halves.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
const MAX_SCAN_DEPTH = 64;

/**
 * The path of the first string (or key) in `value` holding an unpaired UTF-16 surrogate, which JSON
 * can carry (`"\ud800"`) but no text encoding can store: MongoDB would silently keep U+FFFD instead
 * of what was acknowledged. Null when there is none. Deeper nesting is left to the schema to refuse.
 */
export function loneSurrogatePath(value: unknown, path: string[] = []): string | null {
  if (typeof value === 'string') return LONE_SURROGATE.test(value) ? path.join('.') || '(body)' : null;
  if (value === null || typeof value !== 'object' || path.length > MAX_SCAN_DEPTH) return null;
  for (const [key, child] of Object.entries(value)) {
    if (LONE_SURROGATE.test(key)) return [...path, '(key)'].join('.');
    const found = loneSurrogatePath(child, [...path, key]);
    if (found) return found;
  }
  return null;
}

/**
 * Parses `req.body` with the schema and replaces it by the parsed value; anything that does not
 * parse is a 400 naming each bad field. Nothing unvalidated reaches a command.
 */
export function validateBody<S extends z.ZodType>(schema: S): RequestHandler {
  return (req, _res, next) => {
    const broken = loneSurrogatePath(req.body);
    if (broken) return next(new ValidationError('Some fields are not valid', { [broken]: 'contains an unpaired surrogate (not valid Unicode text)' }));
    const result = schema.safeParse(req.body ?? {});
    if (!result.success) return next(new ValidationError('Some fields are not valid', zodFields(result.error)));
    req.body = result.data;
    next();
  };
}

/** The same for route parameters (ids are checked before any query is made). */
export function validateParams<S extends z.ZodType>(schema: S): RequestHandler {
  return (req, _res, next) => {
    const result = schema.safeParse(req.params);
    if (!result.success) return next(new ValidationError('Invalid path parameter', zodFields(result.error)));
    next();
  };
}
