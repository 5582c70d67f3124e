import type { Document } from 'bson';
import { CommandError } from '../errors.js';

/**
 * An error MongoDB raises with an unnamed numeric code (its codeName is `Location<code>`),
 * e.g. 40324 for an unknown pipeline stage or 31253 for a mixed projection.
 */
export function locationError(code: number, message: string, extra: Document = {}): CommandError {
  return new CommandError(code, `Location${code}`, message, extra);
}
