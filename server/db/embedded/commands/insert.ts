import type { Document } from 'bson';
import { CommandError } from '../errors.js';
import type { CollectionStore } from '../storage/types.js';
import { MAX_WRITE_BATCH_SIZE } from '../wire/protocol.js';
import { prepareInsert } from './bson/documents.js';
import { boolOption, collectionOf, docArray, writeErrorOf, type CommandSpec } from './common.js';
import type { CommandRequest, ServerContext } from './context.js';
import { ensureCollectionNotView } from './views.js';
import { insertValidated } from './writeSupport.js';

/** Throws InvalidLength (16) for an empty or oversized write batch. */
export function checkBatchSize(count: number): void {
  if (count < 1 || count > MAX_WRITE_BATCH_SIZE) {
    throw new CommandError(16, 'InvalidLength', `Write batch sizes must be between 1 and ${MAX_WRITE_BATCH_SIZE}. Got ${count} operations.`);
  }
}

/**
 * insert: documents from a kind-1 sequence keep their exact bytes when `_id` already leads;
 * others are re-encoded from the typed reading. Per-document failures become writeErrors;
 * `ordered: false` carries on after them.
 */
function insert(req: CommandRequest, ctx: ServerContext): Document {
  const name = collectionOf(req);
  const ordered = boolOption(req, 'ordered') ?? true;
  const bypass = boolOption(req, 'bypassDocumentValidation') ?? false;
  const docs = docArray(req, 'documents');
  checkBatchSize(docs.length);
  const raws = req.wire.sequences.get('documents') ?? [];
  const fromBody = docs.length - raws.length;
  let collection: CollectionStore | undefined;
  let n = 0;
  const writeErrors: Document[] = [];
  for (let i = 0; i < docs.length; i++) {
    try {
      // Inside the statement: a view's refusal (166) is a write error, as in MongoDB.
      collection ??= ensureCollectionNotView(ctx, req.db, name);
      const stored =
        i >= fromBody
          ? prepareInsert({ raw: raws[i - fromBody], plain: docs[i] })
          : prepareInsert({ typed: (req.typed().documents as Document[])[i] });
      insertValidated(ctx, collection, stored, bypass);
      n++;
    } catch (err) {
      writeErrors.push(writeErrorOf(i, err));
      if (ordered) break;
    }
  }
  ctx.counters.opcounters.insert += n;
  return writeErrors.length > 0 ? { n, writeErrors, ok: 1 } : { n, ok: 1 };
}

/** The insert command. */
export const insertCommands: Record<string, CommandSpec> = {
  insert: { handler: insert, write: true },
};
