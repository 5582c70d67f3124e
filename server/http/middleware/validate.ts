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

/**
 * Parses `req.body` with the schema and replaces it by the parsed value; anything that does not
 * parse is a 400 naming each bad field. Nothing unvalidated reaches a command.
 */
export function validateBody<S extends z.ZodType>(schema: S): RequestHandler {
  return (req, _res, next) => {
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
