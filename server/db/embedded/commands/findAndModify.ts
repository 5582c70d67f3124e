import type { Document } from 'bson';
import { commandError } from '../errors.js';
import type { StoredDocument } from '../storage/types.js';
import { typedOf } from './bson/documents.js';
import { isPlainObject } from './bson/values.js';
import { boolOption, collectionOf, docOption, letOption, type CommandSpec } from './common.js';
import type { CommandRequest, ServerContext } from './context.js';
import { findFirst, findMatching } from './query/planner.js';
import { compileProjection } from './query/projection.js';
import { sortBy } from './query/sort.js';
import { updateStored, upsertStored, type UpdateStatement } from './update/execute.js';
import { collectionNotView, ensureCollectionNotView } from './views.js';

function checkOptions(req: CommandRequest): { remove: boolean; returnNew: boolean; upsert: boolean } {
  const remove = boolOption(req, 'remove') ?? false;
  const returnNew = boolOption(req, 'new') ?? false;
  const upsert = boolOption(req, 'upsert') ?? false;
  const hasUpdate = req.body.update !== undefined;
  if (remove && hasUpdate) throw commandError('FailedToParse', 'Cannot specify both an update and remove=true');
  if (remove && upsert) throw commandError('FailedToParse', 'Cannot specify both upsert=true and remove=true');
  if (remove && returnNew) throw commandError('FailedToParse', "Cannot specify both new=true and remove=true; 'remove' always returns the deleted document");
  if (!remove && !hasUpdate) throw commandError('FailedToParse', 'Either an update or remove=true must be specified');
  return { remove, returnNew, upsert };
}

/**
 * findAndModify: picks the first document in `sort` order, removes or updates it (upserting
 * when asked) and returns it, before or after (`new`), through `fields`. Errors such as
 * duplicate keys come back as command errors (`ok: 0`), as in MongoDB.
 */
function findAndModify(req: CommandRequest, ctx: ServerContext): Document {
  const name = collectionOf(req);
  const { remove, returnNew, upsert } = checkOptions(req);
  const filter = docOption(req, 'query') ?? {};
  const variables = letOption(req);
  const projection = compileProjection(docOption(req, 'fields'));
  const present = (doc: StoredDocument | undefined): Document | null => {
    if (!doc) return null;
    const typed = typedOf(doc);
    return projection ? projection.apply(typed, filter) : typed;
  };
  const collection = upsert ? ensureCollectionNotView(ctx, req.db, name) : collectionNotView(ctx, req.db, name);
  const sort = docOption(req, 'sort');
  const target = !collection
    ? undefined
    : sort && Object.keys(sort).length > 0
      ? sortBy(findMatching(collection, filter, variables), (d) => d.plain, sort)[0]
      : findFirst(collection, filter, variables);

  if (remove) {
    if (collection && target) collection.remove(target);
    ctx.counters.opcounters.delete += target ? 1 : 0;
    return { lastErrorObject: { n: target ? 1 : 0 }, value: present(target), ok: 1 };
  }
  const typedBody = req.typed();
  if (!isPlainObject(typedBody.update) && !Array.isArray(typedBody.update)) {
    throw commandError('FailedToParse', 'Update argument must be either an object or an array');
  }
  const statement: UpdateStatement = {
    filter,
    typedFilter: (typedBody.query as Document | undefined) ?? {},
    update: typedBody.update,
    arrayFilters: req.body.arrayFilters,
    variables,
    bypassValidation: boolOption(req, 'bypassDocumentValidation') ?? false,
    now: new Date(),
  };
  ctx.counters.opcounters.update++;
  if (!collection) return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
  if (target) {
    const result = updateStored(ctx, collection, target, statement);
    return { lastErrorObject: { n: 1, updatedExisting: true }, value: present(returnNew ? result.doc : target), ok: 1 };
  }
  if (!upsert) return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
  const inserted = upsertStored(ctx, collection, statement);
  const upsertedId = typedOf(inserted)._id;
  return {
    lastErrorObject: { n: 1, updatedExisting: false, upserted: upsertedId },
    value: returnNew ? present(inserted) : null,
    ok: 1,
  };
}

/** findAndModify (and its lower-case alias). */
export const findAndModifyCommands: Record<string, CommandSpec> = {
  findAndModify: { handler: findAndModify, write: true },
};
