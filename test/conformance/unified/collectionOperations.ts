import type { Document } from 'bson';
import type { AnyBulkWriteOperation, Collection } from 'mongodb';
import { toBulkWriteModel } from './arguments';
import type { OperationSpec } from './operationSpec';

/**
 * The unified format's collection operations, each mapped onto the Node driver's method with the
 * same meaning. Options not listed for an operation make the runner raise (the spec requires it).
 */

// rawData is sent only to servers from 8.2 on; below that the driver must ignore it (tested).
const WRITE = ['comment', 'session', 'rawData'] as const;
const FILTERED_WRITE = [...WRITE, 'collation', 'hint', 'let'] as const;
const FIND_OPTIONS = ['sort', 'projection', 'skip', 'limit', 'batchSize', 'hint', 'comment', 'allowDiskUse', 'let', 'collation', 'max', 'min', 'maxTimeMS', 'maxAwaitTimeMS', 'noCursorTimeout', 'returnKey', 'showRecordId', 'singleBatch', 'session', 'timeoutMS', 'rawData'] as const;
const FIND_AND_MODIFY = ['projection', 'sort', 'collation', 'hint', 'comment', 'let', 'maxTimeMS', 'session', 'rawData'] as const;

type CollectionSpec = OperationSpec<Collection<Document>>;

/**
 * The Node driver replaces a null `_id` with a new ObjectId (NODE-6468, which its own spec runner
 * skips), so `{_id: null}` would never reach the server. Its documented `forceServerObjectId`
 * option makes it send documents as given; set only when a document has a null `_id` and every
 * one has its own `_id`, it changes nothing else about the operation.
 */
function sendingNullIds(documents: unknown[], options: Document): Document {
  const ids = documents.map((document) => (document !== null && typeof document === 'object' && '_id' in document ? (document as Document)._id : undefined));
  const keepsIds = ids.includes(null) && ids.every((id) => id !== undefined);
  return keepsIds ? { ...options, forceServerObjectId: true } : options;
}

function insertedByBulkWrite(requests: Document[]): unknown[] {
  return requests.flatMap((request) => (request.insertOne ? [request.insertOne.document] : []));
}

/** Collection operations by name. */
export const COLLECTION_OPERATIONS: Record<string, CollectionSpec> = {
  aggregate: {
    required: ['pipeline'],
    optional: ['allowDiskUse', 'batchSize', 'bypassDocumentValidation', 'collation', 'comment', 'hint', 'let', 'maxTimeMS', 'maxAwaitTimeMS', 'session', 'timeoutMS', 'rawData'],
    iterable: true,
    run: (c, { pipeline }, options) => c.aggregate(pipeline, options).toArray(),
  },
  bulkWrite: {
    required: ['requests'],
    optional: ['ordered', 'bypassDocumentValidation', 'comment', 'let', 'session', 'rawData'],
    run: (c, { requests }, options) =>
      c.bulkWrite((requests as Document[]).map(toBulkWriteModel) as AnyBulkWriteOperation<Document>[], sendingNullIds(insertedByBulkWrite(requests), options)),
  },
  count: {
    optional: ['filter', 'skip', 'limit', 'collation', 'hint', 'comment', 'maxTimeMS', 'session', 'rawData'],
    run: (c, _values, { filter, ...options }) => c.count(filter ?? {}, options),
  },
  countDocuments: {
    required: ['filter'],
    optional: ['skip', 'limit', 'collation', 'hint', 'comment', 'maxTimeMS', 'session', 'rawData'],
    run: (c, { filter }, options) => c.countDocuments(filter, options),
  },
  estimatedDocumentCount: {
    optional: ['maxTimeMS', 'comment', 'rawData'],
    run: (c, _values, options) => c.estimatedDocumentCount(options),
  },
  deleteMany: {
    required: ['filter'],
    optional: FILTERED_WRITE,
    run: (c, { filter }, options) => c.deleteMany(filter, options),
  },
  deleteOne: {
    required: ['filter'],
    optional: FILTERED_WRITE,
    run: (c, { filter }, options) => c.deleteOne(filter, options),
  },
  distinct: {
    required: ['fieldName', 'filter'],
    optional: ['collation', 'hint', 'comment', 'maxTimeMS', 'session', 'rawData'],
    run: (c, { fieldName, filter }, options) => c.distinct(fieldName, filter, options),
  },
  find: {
    optional: ['filter', ...FIND_OPTIONS],
    iterable: true,
    run: (c, _values, { filter, ...options }) => c.find(filter ?? {}, options).toArray(),
  },
  findOne: {
    optional: ['filter', ...FIND_OPTIONS],
    run: (c, _values, { filter, ...options }) => c.findOne(filter ?? {}, options),
  },
  createFindCursor: {
    optional: ['filter', ...FIND_OPTIONS],
    entity: 'cursor',
    run: async (c, _values, { filter, ...options }) => {
      const cursor = c.find(filter ?? {}, options);
      // The spec's createFindCursor sends the initial find; the driver's cursors are lazy.
      await cursor.hasNext();
      return cursor;
    },
  },
  findOneAndDelete: {
    required: ['filter'],
    optional: FIND_AND_MODIFY,
    run: (c, { filter }, options) => c.findOneAndDelete(filter, options),
  },
  findOneAndReplace: {
    required: ['filter', 'replacement'],
    optional: [...FIND_AND_MODIFY, 'returnDocument', 'upsert', 'bypassDocumentValidation'],
    run: (c, { filter, replacement }, options) => c.findOneAndReplace(filter, replacement, options),
  },
  findOneAndUpdate: {
    required: ['filter', 'update'],
    optional: [...FIND_AND_MODIFY, 'returnDocument', 'upsert', 'bypassDocumentValidation', 'arrayFilters'],
    run: (c, { filter, update }, options) => c.findOneAndUpdate(filter, update, options),
  },
  insertMany: {
    required: ['documents'],
    optional: [...WRITE, 'ordered', 'bypassDocumentValidation'],
    run: (c, { documents }, options) => c.insertMany(documents, sendingNullIds(documents, options)),
  },
  insertOne: {
    required: ['document'],
    optional: [...WRITE, 'bypassDocumentValidation'],
    run: (c, { document }, options) => c.insertOne(document, sendingNullIds([document], options)),
  },
  replaceOne: {
    required: ['filter', 'replacement'],
    optional: [...FILTERED_WRITE, 'upsert', 'bypassDocumentValidation', 'sort'],
    run: (c, { filter, replacement }, options) => c.replaceOne(filter, replacement, options),
  },
  updateMany: {
    required: ['filter', 'update'],
    optional: [...FILTERED_WRITE, 'upsert', 'bypassDocumentValidation', 'arrayFilters'],
    run: (c, { filter, update }, options) => c.updateMany(filter, update, options),
  },
  updateOne: {
    required: ['filter', 'update'],
    optional: [...FILTERED_WRITE, 'upsert', 'bypassDocumentValidation', 'arrayFilters', 'sort'],
    run: (c, { filter, update }, options) => c.updateOne(filter, update, options),
  },
  createIndex: {
    required: ['keys'],
    optional: ['name', 'unique', 'sparse', 'expireAfterSeconds', 'partialFilterExpression', 'session', 'comment'],
    run: (c, { keys }, options) => c.createIndex(keys, options),
  },
  dropIndex: {
    required: ['name'],
    optional: ['session'],
    run: (c, { name }, options) => c.dropIndex(name, options),
  },
  listIndexes: {
    optional: ['batchSize', 'session'],
    iterable: true,
    run: (c, _values, options) => c.listIndexes(options).toArray(),
  },
  drop: {
    optional: ['session'],
    run: (c, _values, options) => c.drop(options),
  },
};
