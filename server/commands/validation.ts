import type { z } from 'zod';
import { ValidationError } from '../errors.js';

/**
 * Parses a value a command assembled itself (a PATCH merged onto the stored record) with a shared
 * schema. Mirrors http/middleware/validate.ts, which commands must not import.
 * @throws ValidationError naming each bad field path.
 */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, message: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const key = issue.path.length ? issue.path.map(String).join('.') : '(body)';
    fields[key] ??= issue.message;
  }
  throw new ValidationError(message, fields);
}
