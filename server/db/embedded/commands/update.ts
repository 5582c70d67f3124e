import type { Document } from 'bson';
import { commandError } from '../errors.js';
import { typedOf } from './bson/documents.js';
import { isPlainObject } from './bson/values.js';
import { boolOption, checkKnownFields, collectionOf, docArray, letOption, writeErrorOf, type CommandSpec } from './common.js';
import type { CommandRequest, ServerContext } from './context.js';
import { checkBatchSize } from './insert.js';
import { locationError } from './locationError.js';
import { findFirst, findMatching } from './query/planner.js';
import { classifyUpdate } from './update/applyUpdate.js';
import { updateStored, upsertStored, type UpdateStatement } from './update/execute.js';
import { collectionNotView, ensureCollectionNotView } from './views.js';

/**
 * The fields of an update statement in MongoDB 7.0 (UpdateOpEntry). `sort` is not one of
 * them: it arrived in 8.0, and a 7.0 server refuses it, which drivers and tests rely on.
 */
const STATEMENT_FIELDS = new Set([
  'q', 'u', 'c', 'multi', 'upsert', 'upsertSupplied', 'arrayFilters', 'hint', 'collation', 'sampleId',
  '$_allowShardKeyUpdatesWithoutFullShardKeyInQuery',
]);

interface Outcome {
  matched: number;
  modified: number;
  upserted?: unknown;
}

function runStatement(req: CommandRequest, ctx: ServerContext, raw: Document, typed: Document): Outcome {
  if (!('q' in raw)) throw locationError(40414, "BSON field 'update.updates.q' is missing but a required field");
  if (!('u' in raw)) throw locationError(40414, "BSON field 'update.updates.u' is missing but a required field");
  if (!isPlainObject(raw.q)) throw commandError('TypeMismatch', "BSON field 'update.updates.q' is the wrong type, expected type 'object'");
  const kind = classifyUpdate(typed.u);
  const multi = raw.multi === true;
  if (multi && kind === 'replacement') throw commandError('FailedToParse', 'multi update is not supported for replacement-style update');
  const statement: UpdateStatement = {
    filter: raw.q,
    typedFilter: typed.q,
    update: typed.u,
    arrayFilters: raw.arrayFilters,
    variables: letOption(req),
    bypassValidation: boolOption(req, 'bypassDocumentValidation') ?? false,
    now: new Date(),
  };
  const name = collectionOf(req);
  const collection = raw.upsert === true ? ensureCollectionNotView(ctx, req.db, name) : collectionNotView(ctx, req.db, name);
  if (!collection) return { matched: 0, modified: 0 };
  let targets;
  if (multi) targets = findMatching(collection, raw.q, statement.variables);
  else targets = [findFirst(collection, raw.q, statement.variables)].filter((d) => d !== undefined);
  if (targets.length === 0) {
    if (raw.upsert !== true) return { matched: 0, modified: 0 };
    const inserted = upsertStored(ctx, collection, statement);
    return { matched: 0, modified: 0, upserted: typedOf(inserted)._id };
  }
  let modified = 0;
  for (const doc of targets) if (updateStored(ctx, collection, doc, statement).modified) modified++;
  return { matched: targets.length, modified };
}

/**
 * update: each statement finds its documents (by _id, index or scan), applies operators,
 * a replacement or a pipeline, and writes only real changes (nModified counts those).
 */
function update(req: CommandRequest, ctx: ServerContext): Document {
  collectionOf(req);
  const ordered = boolOption(req, 'ordered') ?? true;
  const statements = docArray(req, 'updates');
  checkBatchSize(statements.length);
  // Parsing precedes execution: one bad statement fails the command before any write.
  for (const statement of statements) checkKnownFields(statement, STATEMENT_FIELDS, 'update.updates');
  const typedStatements = req.typed().updates as Document[];
  let n = 0;
  let nModified = 0;
  const upserted: Document[] = [];
  const writeErrors: Document[] = [];
  for (let i = 0; i < statements.length; i++) {
    try {
      const outcome = runStatement(req, ctx, statements[i], typedStatements[i]);
      n += outcome.matched;
      nModified += outcome.modified;
      if (outcome.upserted !== undefined) {
        n++;
        upserted.push({ index: i, _id: outcome.upserted });
      }
    } catch (err) {
      writeErrors.push(writeErrorOf(i, err));
      if (ordered) break;
    }
  }
  ctx.counters.opcounters.update += statements.length;
  const reply: Document = { n, nModified };
  if (upserted.length > 0) reply.upserted = upserted;
  if (writeErrors.length > 0) reply.writeErrors = writeErrors;
  reply.ok = 1;
  return reply;
}

/** The update command. */
export const updateCommands: Record<string, CommandSpec> = {
  update: { handler: update, write: true },
};
