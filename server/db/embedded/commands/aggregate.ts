import { BSON, type Document } from 'bson';
import { commandError } from '../errors.js';
import { encodeBson } from '../wire/protocol.js';
import type { CollectionStore, StoredDocument } from '../storage/types.js';
import { writeMerge, writeOut } from './aggregate/output.js';
import { validatePipeline } from './aggregate/stages.js';
import { typedOf } from './bson/documents.js';
import { encodeCursorReply } from './bson/envelope.js';
import { isPlainObject } from './bson/values.js';
import { boolOption, collectionOf, letOption, validateDbName, type CommandSpec } from './common.js';
import type { CommandRequest, ServerContext } from './context.js';
import { runPipeline } from './query/matcher.js';
import { findMatching } from './query/planner.js';

// Stages that never modify the documents they pass on, so stored objects can be fed directly.
const READ_ONLY_STAGES = new Set(['$match', '$sort', '$skip', '$limit', '$count', '$group', '$sortByCount', '$sample', '$bucket', '$bucketAuto', '$out', '$merge', '$documents']);

function collectionDocs(collection: CollectionStore | undefined, fresh: boolean, filter?: Document, variables?: Document): { docs: Document[]; origin: WeakMap<Document, StoredDocument> } {
  const origin = new WeakMap<Document, StoredDocument>();
  const stored = collection ? (filter ? findMatching(collection, filter, variables) : Array.from(collection.all())) : [];
  const docs = stored.map((s) => {
    // Stages like $addFields write into nested objects; those pipelines get private copies.
    const doc = fresh ? BSON.deserialize(s.raw) : s.plain;
    origin.set(doc, s);
    return doc;
  });
  return { docs, origin };
}

/**
 * `$listLocalSessions` lists sessions this server knows; it keeps no session table, so it
 * reports the caller's own session (the one the driver attached), as a fresh server would.
 */
function withLocalSessions(pipeline: Document[], req: CommandRequest): Document[] {
  if (pipeline.length === 0 || Object.keys(pipeline[0])[0] !== '$listLocalSessions') return pipeline;
  const lsid = req.body.lsid;
  const sessions = isPlainObject(lsid) ? [{ _id: { id: lsid.id }, lastUse: new Date() }] : [];
  return [{ $documents: sessions }, ...pipeline.slice(1)];
}

function aggregate(req: CommandRequest, ctx: ServerContext): Document | Buffer {
  const target = req.target;
  const collectionName = target === 1 ? undefined : collectionOf(req);
  validateDbName(req.db);
  const pipeline = withLocalSessions(validatePipeline(req.body.pipeline), req);
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
  const readOnly = stages.every((s) => READ_ONLY_STAGES.has(Object.keys(s)[0]) || (Object.keys(s)[0] === '$lookup' && !String(s.$lookup.as).includes('.')));
  const collection = collectionName ? ctx.storage.collection(req.db, collectionName) : undefined;
  const { docs, origin } = collectionDocs(collection, !readOnly, leadingMatch, variables);
  if (explain) {
    return { explainVersion: '1', stages: pipeline, queryPlanner: { namespace: `${req.db}.${collectionName ?? '$cmd.aggregate'}` }, ok: 1 };
  }
  const resolver = (name: string): Document[] => {
    const foreign = ctx.storage.collection(req.db, name);
    if (!foreign) return [];
    return Array.from(foreign.all(), (d) => (readOnly ? d.plain : BSON.deserialize(d.raw)));
  };
  const results = runPipeline(docs, stages, { variables, collectionResolver: resolver });
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
