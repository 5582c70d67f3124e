import { BSON, type Document } from 'bson';
import { commandError } from '../errors.js';
import { encodeBson } from '../wire/protocol.js';
import type { StoredDocument } from '../storage/types.js';
import { writeMerge, writeOut } from './aggregate/output.js';
import { isReadOnlyPipeline, validatePipeline } from './aggregate/stages.js';
import { typedOf } from './bson/documents.js';
import { encodeCursorReply } from './bson/envelope.js';
import { isPlainObject } from './bson/values.js';
import { boolOption, collectionOf, letOption, validateDbName, type CommandSpec } from './common.js';
import type { CommandRequest, ServerContext } from './context.js';
import { runPipeline } from './query/matcher.js';
import { findMatching, sourceDocuments, type ReadSource } from './query/planner.js';
import { foreignResolver, readSource } from './views.js';

function collectionDocs(source: ReadSource | undefined, fresh: boolean, filter?: Document, variables?: Document): { docs: Document[]; origin: WeakMap<Document, StoredDocument> } {
  const origin = new WeakMap<Document, StoredDocument>();
  const stored = source ? (filter ? findMatching(source, filter, variables) : Array.from(sourceDocuments(source))) : [];
  const docs = stored.map((s) => {
    // Stages like $addFields write into nested objects; those pipelines get private copies.
    const doc = fresh ? BSON.deserialize(s.raw) : s.plain;
    origin.set(doc, s);
    return doc;
  });
  return { docs, origin };
}

/**
 * `$listLocalSessions` becomes the sessions this server has seen (the caller's own included:
 * its lsid was recorded on arrival). Without authentication every session is the caller's
 * user's, so `allUsers` and `users` select the same ones.
 */
function withLocalSessions(pipeline: Document[], ctx: ServerContext): Document[] {
  if (pipeline.length === 0 || Object.keys(pipeline[0])[0] !== '$listLocalSessions') return pipeline;
  return [{ $documents: ctx.sessions.list() }, ...pipeline.slice(1)];
}

function aggregate(req: CommandRequest, ctx: ServerContext): Document | Buffer {
  const target = req.target;
  const collectionName = target === 1 ? undefined : collectionOf(req);
  validateDbName(req.db);
  const pipeline = withLocalSessions(validatePipeline(req.body.pipeline), ctx);
  const explain = boolOption(req, 'explain') ?? false;
  const cursorSpec = req.body.cursor;
  if (!explain && !isPlainObject(cursorSpec)) {
    throw commandError('FailedToParse', "The 'cursor' option is required, except for aggregate with the explain argument");
  }
  if (collectionName === undefined && Object.keys(pipeline[0] ?? {})[0] !== '$documents') {
    throw commandError('InvalidNamespace', `{aggregate: 1} is not valid for '${Object.keys(pipeline[0] ?? { $match: 1 })[0]}'; a collection is required.`);
  }
  const variables = letOption(req);
  const stages = [...pipeline];
  const last = stages.length > 0 ? Object.keys(stages[stages.length - 1])[0] : undefined;
  const output = last === '$out' || last === '$merge' ? stages.pop() : undefined;
  // A leading $match is answered through the query planner (ids and indexes).
  const leadingMatch = stages.length > 0 && Object.keys(stages[0])[0] === '$match' ? (stages.shift() as Document).$match : undefined;
  const readOnly = isReadOnlyPipeline(stages);
  // A view's pipeline runs first; what it yields is read like a collection (MongoDB inlines it).
  const source = collectionName ? readSource(ctx, req.db, collectionName) : undefined;
  const { docs, origin } = collectionDocs(source, !readOnly, leadingMatch, variables);
  if (explain) {
    return { explainVersion: '1', stages: pipeline, queryPlanner: { namespace: `${req.db}.${collectionName ?? '$cmd.aggregate'}` }, ok: 1 };
  }
  const results = runPipeline(docs, stages, { variables, collectionResolver: foreignResolver(ctx, req.db, !readOnly) });
  ctx.counters.opcounters.command++;
  const typed = (doc: Document): Document => {
    const stored = origin.get(doc);
    return stored ? typedOf(stored) : doc;
  };
  const ns = `${req.db}.${collectionName ?? '$cmd.aggregate'}`;
  if (output) {
    const [stage, arg] = Object.entries(output)[0];
    const bypass = boolOption(req, 'bypassDocumentValidation') ?? false;
    if (stage === '$out') writeOut(ctx, req.db, arg, results, typed);
    else writeMerge(ctx, req.db, arg, results, typed, bypass);
    return encodeCursorReply(ns, 0n, 'firstBatch', []);
  }
  const encoded = function* (): Generator<Buffer> {
    for (const doc of results) yield origin.get(doc)?.raw ?? encodeBson(doc);
  };
  const batchSize = typeof cursorSpec.batchSize === 'number' ? cursorSpec.batchSize : undefined;
  const { id, batch } = ctx.cursors.open(ns, encoded(), batchSize);
  return encodeCursorReply(ns, id, 'firstBatch', batch);
}

function hasOutputStage(pipeline: unknown): boolean {
  const last = Array.isArray(pipeline) ? pipeline[pipeline.length - 1] : undefined;
  return isPlainObject(last) && ('$out' in last || '$merge' in last);
}

/** The aggregate command, with $out/$merge writes; `write` so they are flushed before replying. */
export const aggregateCommands: Record<string, CommandSpec> = {
  aggregate: { handler: aggregate, write: (req) => hasOutputStage(req.body.pipeline) },
};
