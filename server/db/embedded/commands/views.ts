import { BSON, type Document } from 'bson';
import { type CommandError, commandError } from '../errors.js';
import type { CollectionStore, StoredDocument } from '../storage/types.js';
import { encodeBson } from '../wire/protocol.js';
import { isReadOnlyPipeline, validatePipeline } from './aggregate/stages.js';
import { storedFromRaw } from './bson/documents.js';
import { isPlainObject, typeAlias } from './bson/values.js';
import type { ServerContext } from './context.js';
import { runPipeline } from './query/matcher.js';
import type { ReadSource } from './query/planner.js';

/**
 * Read-only views. A view is a catalog entry like a collection, with no documents and the
 * options `{viewOn, pipeline}`; the storage engine persists it like any collection's options,
 * so nothing below the command layer knows about views. Unlike MongoDB there is no
 * `system.views` collection: listCollections reports views directly.
 */

/** MongoDB's limit on views defined over views (ViewGraph::kMaxViewDepth). */
const MAX_VIEW_DEPTH = 20;

/** What a view is defined as: a source collection or view in the same database, and a pipeline. */
export interface ViewDefinition {
  viewOn: string;
  pipeline: Document[];
}

/** The definition a catalog entry holds, or undefined for a collection (or no entry). */
export function viewDefinition(entry: CollectionStore | undefined): ViewDefinition | undefined {
  const viewOn = entry?.options.viewOn;
  if (typeof viewOn !== 'string') return undefined;
  const pipeline = entry?.options.pipeline;
  return { viewOn, pipeline: Array.isArray(pipeline) ? pipeline : [] };
}

/** CommandNotSupportedOnView (166), MongoDB's answer to writes and index commands on a view. */
export function viewError(db: string, name: string): CommandError {
  return commandError('CommandNotSupportedOnView', `Namespace ${db}.${name} is a view, not a collection`);
}

/** The collection a write or index command acts on, undefined when absent. Throws 166 for a view. */
export function collectionNotView(ctx: ServerContext, db: string, name: string): CollectionStore | undefined {
  const entry = ctx.storage.collection(db, name);
  if (viewDefinition(entry)) throw viewError(db, name);
  return entry;
}

/** The collection a write acts on, created implicitly as inserts do. Throws 166 for a view. */
export function ensureCollectionNotView(ctx: ServerContext, db: string, name: string): CollectionStore {
  return collectionNotView(ctx, db, name) ?? ctx.storage.ensureCollection(db, name);
}

/**
 * What a read of `name` sees: the collection itself, or for a view the output of its pipeline
 * over its source (itself possibly a view). Undefined when nothing has that name.
 * Throws ViewDepthLimitExceeded (165) past 20 levels of views, which also stops cycles.
 */
export function readSource(ctx: ServerContext, db: string, name: string): ReadSource | undefined {
  const entry = ctx.storage.collection(db, name);
  const view = viewDefinition(entry);
  return view ? viewDocuments(ctx, db, view, 1) : entry;
}

/**
 * A `$lookup` / `$unionWith` / `$graphLookup` resolver over collections and views. `fresh`
 * gives private copies, for pipelines whose stages write into the documents they receive.
 */
export function foreignResolver(ctx: ServerContext, db: string, fresh: boolean, depth = 0): (name: string) => Document[] {
  return (name) => {
    const entry = ctx.storage.collection(db, name);
    const view = viewDefinition(entry);
    const docs = view ? viewDocuments(ctx, db, view, depth + 1) : entry ? entry.all() : [];
    return Array.from(docs, (d) => (fresh ? BSON.deserialize(d.raw) : d.plain));
  };
}

function viewDocuments(ctx: ServerContext, db: string, view: ViewDefinition, depth: number): StoredDocument[] {
  if (depth > MAX_VIEW_DEPTH) {
    throw commandError('ViewDepthLimitExceeded', `View depth too deep or view cycle detected; maximum depth is ${MAX_VIEW_DEPTH}`);
  }
  const entry = ctx.storage.collection(db, view.viewOn);
  const inner = viewDefinition(entry);
  const input = inner ? viewDocuments(ctx, db, inner, depth + 1) : entry ? entry.all() : [];
  const readOnly = isReadOnlyPipeline(view.pipeline);
  // Documents that pass through unchanged keep their stored bytes (and so their exact types).
  const origin = new WeakMap<Document, StoredDocument>();
  const docs = Array.from(input, (stored) => {
    const doc = readOnly ? stored.plain : BSON.deserialize(stored.raw);
    origin.set(doc, stored);
    return doc;
  });
  const out = runPipeline(docs, view.pipeline, { collectionResolver: foreignResolver(ctx, db, !readOnly, depth) });
  return out.map((doc) => origin.get(doc) ?? storedFromRaw(encodeBson(doc), doc));
}

/**
 * Checks a view definition given to create or collMod: a non-empty source name and a
 * pipeline MongoDB would accept in a view (no $out/$merge: 167; no $documents: 73).
 */
export function checkViewDefinition(command: string, db: string, name: string, viewOn: unknown, pipeline: unknown): ViewDefinition {
  if (typeof viewOn !== 'string') {
    throw commandError('TypeMismatch', `BSON field '${command}.viewOn' is the wrong type '${typeAlias(viewOn)}', expected type 'string'`);
  }
  if (viewOn.length === 0) throw commandError('BadValue', "'viewOn' cannot be empty.");
  const stages = pipeline ?? [];
  if (!Array.isArray(stages) || !stages.every(isPlainObject)) {
    throw commandError('TypeMismatch', `BSON field '${command}.pipeline' is the wrong type '${typeAlias(pipeline)}', expected type 'array'`);
  }
  stages.forEach((stage, position) => {
    const stageName = Object.keys(stage)[0];
    if (stageName === '$out' || stageName === '$merge') {
      throw commandError(
        'OptionNotSupportedOnView',
        `The aggregation stage ${stageName} in location ${position} of the pipeline cannot be used in the view definition of ${db}.${name} because it writes to disk`,
      );
    }
    if (stageName === '$documents') throw commandError('InvalidNamespace', `'${stageName}' cannot be used in a view definition`);
  });
  validatePipeline(stages);
  return { viewOn, pipeline: stages };
}

/** Refuses a view whose chain of sources would exceed the depth limit or loop back on itself. */
export function checkViewChain(ctx: ServerContext, db: string, name: string, view: ViewDefinition): void {
  let source = view.viewOn;
  for (let depth = 1; depth <= MAX_VIEW_DEPTH; depth++) {
    if (source === name) throw commandError('GraphContainsCycle', `View cycle detected: ${db}.${name}`);
    const next = viewDefinition(ctx.storage.collection(db, source));
    if (!next) return;
    source = next.viewOn;
  }
  throw commandError('ViewDepthLimitExceeded', `View depth too deep or view cycle detected; maximum depth is ${MAX_VIEW_DEPTH}`);
}

// Options a view takes besides its definition; collection options (validator, capped...) do not apply.
const VIEW_OPTIONS = new Set(['viewOn', 'pipeline', 'collation']);

/**
 * Creates a view from create's options. Throws BadValue for a pipeline without viewOn,
 * InvalidOptions for a collection-only option, InvalidNamespace for a `system.` name and
 * NamespaceExists when the name is taken.
 */
export function createView(ctx: ServerContext, db: string, name: string, options: Document): void {
  if (options.viewOn === undefined) throw commandError('BadValue', "'pipeline' requires 'viewOn' to also be specified");
  if (name.startsWith('system.')) throw commandError('InvalidNamespace', `Cannot create a view called '${name}'`);
  for (const key of Object.keys(options)) {
    if (!VIEW_OPTIONS.has(key)) throw commandError('InvalidOptions', `option not supported on a view: ${key}`);
  }
  const view = checkViewDefinition('create', db, name, options.viewOn, options.pipeline);
  if (ctx.storage.collection(db, name)) throw commandError('NamespaceExists', `Collection ${db}.${name} already exists.`);
  checkViewChain(ctx, db, name, view);
  ctx.storage.createCollection(db, name, { ...options, ...view });
}

/**
 * collMod on a view: redefines it from `viewOn` and/or `pipeline` (the other keeps its value).
 * Throws InvalidOptions for any other option, as MongoDB does.
 */
export function modifyView(ctx: ServerContext, entry: CollectionStore, changes: Document): void {
  for (const key of Object.keys(changes)) {
    if (key !== 'viewOn' && key !== 'pipeline') throw commandError('InvalidOptions', `option not supported on a view: ${key}`);
  }
  const current = viewDefinition(entry) as ViewDefinition;
  const view = checkViewDefinition('collMod', entry.db, entry.name, changes.viewOn ?? current.viewOn, changes.pipeline ?? current.pipeline);
  checkViewChain(ctx, entry.db, entry.name, view);
  entry.setOptions({ ...entry.options, ...view });
}
