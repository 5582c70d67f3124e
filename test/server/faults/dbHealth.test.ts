import { MongoNetworkError, MongoServerError, MongoServerSelectionError } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { DatabaseUnavailableError, isDatabaseUnreachable } from '../../../server/db/dbHealth.js';

// Which errors mean "the database is away" (REST 503 `unavailable`, socket ack `unavailable`) and
// which mean "the database refused this" (handled, or a 500, as before).

describe('isDatabaseUnreachable', () => {
  it('recognises the driver’s unreachable errors, also as the cause of another error', () => {
    expect(isDatabaseUnreachable(new MongoNetworkError('connection reset'))).toBe(true);
    expect(isDatabaseUnreachable(new MongoServerSelectionError('Server selection timed out', { type: 'Single', servers: new Map() } as never))).toBe(true);
    expect(isDatabaseUnreachable(new Error('wrapped', { cause: new MongoNetworkError('connection reset') }))).toBe(true);
  });

  it('leaves refusals, bugs and nothing alone', () => {
    expect(isDatabaseUnreachable(new MongoServerError({ message: 'E11000 duplicate key', code: 11000 }))).toBe(false);
    expect(isDatabaseUnreachable(new TypeError('x is undefined'))).toBe(false);
    expect(isDatabaseUnreachable(undefined)).toBe(false);
  });

  it('is answered as 503 `unavailable`', () => {
    expect(new DatabaseUnavailableError()).toMatchObject({ status: 503, code: 'unavailable' });
  });
});
