import type { Document } from 'bson';
import { commandError } from '../errors.js';
import { compareBson } from './bson/values.js';
import { collectionOf, countOption, docOption, letOption, type CommandSpec } from './common.js';
import type { CommandRequest, ServerContext } from './context.js';
import { executeFind } from './find.js';
import { findMatching } from './query/planner.js';
import { valuesAtPath } from './query/sort.js';
import { readSource } from './views.js';

function count(req: CommandRequest, ctx: ServerContext): Document {
  const name = collectionOf(req);
  const source = readSource(ctx, req.db, name);
  const query = docOption(req, 'query');
  const skip = countOption(req, 'skip') ?? 0;
  const limit = Math.abs(Number(req.body.limit ?? 0));
  ctx.counters.opcounters.command++;
  if (!source) return { n: 0, ok: 1 };
  if (!query || Object.keys(query).length === 0) {
    const total = Math.max(0, ('count' in source ? source.count() : source.length) - skip);
    return { n: limit > 0 ? Math.min(limit, total) : total, ok: 1 };
  }
  const { docs } = executeFind(source, { filter: query, skip, limit, variables: letOption(req) });
  return { n: docs.length, ok: 1 };
}

/** distinct: values of `key` over matching documents, arrays unwound one level, in BSON order. */
function distinct(req: CommandRequest, ctx: ServerContext): Document {
  const name = collectionOf(req);
  const key = req.body.key;
  if (typeof key !== 'string') throw commandError('TypeMismatch', "BSON field 'distinct.key' is the wrong type, expected type 'string'");
  if (key.length === 0) throw commandError('FailedToParse', 'FieldPath cannot be constructed with empty string');
  const source = readSource(ctx, req.db, name);
  if (!source) return { values: [], ok: 1 };
  const values: unknown[] = [];
  for (const doc of findMatching(source, docOption(req, 'query'), letOption(req))) {
    for (const value of valuesAtPath(doc.plain, key)) if (value !== undefined) values.push(value);
  }
  values.sort(compareBson);
  const unique = values.filter((v, i) => i === 0 || compareBson(values[i - 1], v) !== 0);
  return { values: unique, ok: 1 };
}

/** count and distinct. */
export const countCommands: Record<string, CommandSpec> = {
  count: { handler: count },
  distinct: { handler: distinct },
};
