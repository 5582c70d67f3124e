import type { Document } from 'bson';
import { commandError } from '../errors.js';
import { boolOption, checkKnownFields, collectionOf, docArray, letOption, writeErrorOf, type CommandSpec } from './common.js';
import type { CommandRequest, ServerContext } from './context.js';
import { checkBatchSize } from './insert.js';
import { locationError } from './locationError.js';
import { findFirst, findMatching } from './query/planner.js';
import { isPlainObject } from './bson/values.js';
import { collectionNotView } from './views.js';

/** The fields of a delete statement in MongoDB 7.0 (DeleteOpEntry). */
const STATEMENT_FIELDS = new Set(['q', 'limit', 'hint', 'collation', 'sampleId']);

function deleteCommand(req: CommandRequest, ctx: ServerContext): Document {
  const name = collectionOf(req);
  const ordered = boolOption(req, 'ordered') ?? true;
  const statements = docArray(req, 'deletes');
  checkBatchSize(statements.length);
  // Parsing precedes execution: one bad statement fails the command before any delete.
  for (const statement of statements) checkKnownFields(statement, STATEMENT_FIELDS, 'delete.deletes');
  const variables = letOption(req);
  let n = 0;
  const writeErrors: Document[] = [];
  for (let i = 0; i < statements.length; i++) {
    const statement = statements[i];
    try {
      if (!('q' in statement)) throw locationError(40414, "BSON field 'delete.deletes.q' is missing but a required field");
      if (!isPlainObject(statement.q)) throw commandError('TypeMismatch', "BSON field 'delete.deletes.q' is the wrong type, expected type 'object'");
      if (!('limit' in statement)) throw locationError(40414, "BSON field 'delete.deletes.limit' is missing but a required field");
      const limit = Number(statement.limit);
      if (limit !== 0 && limit !== 1) throw commandError('FailedToParse', `The limit field in delete objects must be 0 or 1. Got ${String(statement.limit)}`);
      // Inside the statement: a view's refusal (166) is a write error, as in MongoDB.
      const collection = collectionNotView(ctx, req.db, name);
      if (!collection) continue;
      const victims = limit === 1 ? [findFirst(collection, statement.q, variables)].filter((d) => d !== undefined) : findMatching(collection, statement.q, variables);
      for (const doc of victims) collection.remove(doc);
      n += victims.length;
    } catch (err) {
      writeErrors.push(writeErrorOf(i, err));
      if (ordered) break;
    }
  }
  ctx.counters.opcounters.delete += n;
  return writeErrors.length > 0 ? { n, writeErrors, ok: 1 } : { n, ok: 1 };
}

/** The delete command. */
export const deleteCommands: Record<string, CommandSpec> = {
  delete: { handler: deleteCommand, write: true },
};
