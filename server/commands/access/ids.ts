import { Types } from 'mongoose';
import { NotFoundError } from '../../errors.js';

/** Whether `id` is an id at all: 24 hex characters (what every stored `_id` is written as). */
export function isIdString(id: unknown): id is string {
  return typeof id === 'string' && /^[0-9a-f]{24}$/i.test(id);
}

/**
 * A path id as an ObjectId. Anything that is not 24 hex characters names nothing, so it is a 404
 * (the same answer as an id that does not exist) and no query is ever made with it.
 * @throws NotFoundError
 */
export function parseId(id: unknown): Types.ObjectId {
  if (!isIdString(id)) throw new NotFoundError();
  return new Types.ObjectId(id);
}

/** Whether a write failed on a unique index (MongoDB error 11000). */
export function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}
