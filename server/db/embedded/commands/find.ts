import { Long, type Document } from 'bson';
import { CommandError, commandError } from '../errors.js';
import { encodeBson } from '../wire/protocol.js';
import type { StoredDocument } from '../storage/types.js';
import { typedOf } from './bson/documents.js';
import { encodeCursorReply } from './bson/envelope.js';
import { bsonTag } from './bson/values.js';
import { boolOption, collectionOf, countOption, docOption, letOption, type CommandSpec } from './common.js';
import type { CommandRequest, ServerContext } from './context.js';
import { compileFilter } from './query/matcher.js';
import { candidates, type Plan, type ReadSource } from './query/planner.js';
import { compileProjection } from './query/projection.js';
import { sortBy } from './query/sort.js';
import { readSource } from './views.js';

/** The parsed options of a find. */
export interface FindQuery {
  filter?: Document;
  sort?: Document;
  projection?: Document;
  skip: number;
  limit: number;
  variables?: Document;
}

/** Parses find's options; throws TypeMismatch / 51024 like MongoDB. */
export function parseFind(req: CommandRequest): FindQuery {
  return {
    filter: docOption(req, 'filter'),
    sort: docOption(req, 'sort'),
    projection: docOption(req, 'projection'),
    skip: countOption(req, 'skip') ?? 0,
    limit: countOption(req, 'limit') ?? 0,
    variables: letOption(req),
  };
}

/**
 * Runs a find's matching, sort, skip and limit over a collection or a view's documents.
 * Without a sort, scanning stops as soon as skip+limit documents matched.
 */
export function executeFind(collection: ReadSource, query: FindQuery): { docs: StoredDocument[]; plan: Plan } {
  const test = compileFilter(query.filter, query.variables);
  const { docs: source, plan } = candidates(collection, query.filter);
  const hasSort = query.sort !== undefined && Object.keys(query.sort).length > 0;
  const wanted = !hasSort && query.limit > 0 ? query.skip + query.limit : Number.POSITIVE_INFINITY;
  let matched: StoredDocument[] = [];
  for (const doc of source) {
    if (!test(doc.plain, doc.raw)) continue;
    matched.push(doc);
    if (matched.length >= wanted) break;
  }
  if (hasSort) matched = sortBy(matched, (d) => d.plain, query.sort);
  const end = query.limit > 0 ? query.skip + query.limit : undefined;
  return { docs: matched.slice(query.skip, end), plan };
}

function* encoded(docs: StoredDocument[], query: FindQuery): Generator<Buffer> {
  const projection = compileProjection(query.projection);
  for (const doc of docs) {
    // Unprojected documents go out as their stored bytes, untouched.
    yield projection ? encodeBson(projection.apply(typedOf(doc), query.filter)) : doc.raw;
  }
}

function find(req: CommandRequest, ctx: ServerContext): Buffer {
  const name = collectionOf(req);
  const ns = `${req.db}.${name}`;
  const query = parseFind(req);
  const batchSize = countOption(req, 'batchSize');
  const singleBatch = boolOption(req, 'singleBatch') ?? false;
  if (req.body.tailable === true) throw commandError('BadValue', 'error processing query: tailable cursor requested on non capped collection');
  compileProjection(query.projection);
  ctx.counters.opcounters.query++;
  const source = readSource(ctx, req.db, name);
  const docs = source ? executeFind(source, query).docs : [];
  const { id, batch } = ctx.cursors.open(ns, encoded(docs, query), batchSize, singleBatch);
  return encodeCursorReply(ns, id, 'firstBatch', batch);
}

/** Reads a cursor id sent as Long or (small) number. */
export function cursorIdOf(value: unknown): bigint {
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (bsonTag(value) === 'Long') return (value as Long).toBigInt();
  throw commandError('TypeMismatch', `BSON field 'getMore.getMore' is the wrong type, expected type 'long'`);
}

function getMore(req: CommandRequest, ctx: ServerContext): Buffer {
  const id = cursorIdOf(req.body.getMore);
  const collection = req.body.collection;
  if (typeof collection !== 'string') throw commandError('TypeMismatch', "BSON field 'getMore.collection' is the wrong type, expected type 'string'");
  const cursor = ctx.cursors.get(id);
  if (!cursor) throw commandError('CursorNotFound', `cursor id ${id} not found`);
  const ns = `${req.db}.${collection}`;
  if (cursor.ns !== ns) {
    throw new CommandError(13, 'Unauthorized', `Requested getMore on namespace '${ns}', but cursor belongs to a different namespace ${cursor.ns}`);
  }
  ctx.counters.opcounters.getmore++;
  const batch = ctx.cursors.next(cursor, countOption(req, 'batchSize'));
  return encodeCursorReply(cursor.ns, batch.exhausted ? 0n : id, 'nextBatch', batch.docs);
}

function killCursors(req: CommandRequest, ctx: ServerContext): Document {
  collectionOf(req);
  const ids = req.body.cursors;
  if (!Array.isArray(ids)) throw commandError('TypeMismatch', "BSON field 'killCursors.cursors' is the wrong type, expected type 'array'");
  const killed: Long[] = [];
  const notFound: Long[] = [];
  for (const raw of ids) {
    const id = cursorIdOf(raw);
    (ctx.cursors.kill(id) ? killed : notFound).push(Long.fromBigInt(id));
  }
  return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
}

/** find, getMore and killCursors. */
export const findCommands: Record<string, CommandSpec> = {
  find: { handler: find },
  getMore: { handler: getMore },
  killCursors: { handler: killCursors },
};
