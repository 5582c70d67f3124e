import type { Document } from 'bson';
import { ReadPreference, type AbstractCursor, type AnyClientBulkWriteModel, type ClientBulkWriteResult, type Db, type MongoClient } from 'mongodb';
import { toClientBulkWriteModel } from './arguments';
import type { OperationSpec } from './operationSpec';
import { RunnerError } from './runnerError';
import { TestFailure } from './testFailure';

/** Database operations by name. */
export const DATABASE_OPERATIONS: Record<string, OperationSpec<Db>> = {
  aggregate: {
    required: ['pipeline'],
    optional: ['allowDiskUse', 'batchSize', 'bypassDocumentValidation', 'collation', 'comment', 'hint', 'let', 'maxTimeMS', 'maxAwaitTimeMS', 'session', 'rawData'],
    iterable: true,
    run: (db, { pipeline }, options) => db.aggregate(pipeline, options).toArray(),
  },
  createCollection: {
    required: ['collection'],
    optional: ['session', 'viewOn', 'pipeline', 'capped', 'size', 'max', 'validator', 'validationLevel', 'validationAction', 'collation', 'timeseries', 'expireAfterSeconds', 'clusteredIndex', 'changeStreamPreAndPostImages', 'encryptedFields'],
    // The driver's Collection object is not a BSON value, so it is never matched or saved.
    run: async (db, { collection }, options) => {
      await db.createCollection(collection, options);
      return undefined;
    },
  },
  dropCollection: {
    required: ['collection'],
    optional: ['session', 'encryptedFields'],
    run: (db, { collection }, options) => db.dropCollection(collection, options),
  },
  listCollections: {
    optional: ['filter', 'batchSize', 'session', 'nameOnly', 'authorizedCollections'],
    iterable: true,
    run: (db, _values, { filter, ...options }) => db.listCollections(filter ?? {}, options).toArray(),
  },
  listCollectionNames: {
    optional: ['filter', 'batchSize', 'session'],
    run: async (db, _values, { filter, ...options }) =>
      (await db.listCollections(filter ?? {}, { ...options, nameOnly: true }).toArray()).map((c) => c.name),
  },
  modifyCollection: {
    required: ['collection'],
    optional: ['validator', 'validationLevel', 'validationAction', 'index', 'expireAfterSeconds', 'changeStreamPreAndPostImages'],
    run: (db, { collection }, options) => db.command({ collMod: collection, ...options }),
  },
  runCommand: {
    required: ['command', 'commandName'],
    optional: ['readPreference', 'session'],
    run: (db, { command }, options) => db.command(command, options),
  },
};

// The driver reports per-model results as Maps keyed by index; the format matches documents.
function clientBulkWriteResultDocument(result: ClientBulkWriteResult): Document {
  const byIndex = (map: ReadonlyMap<number, unknown> | undefined) => (map ? Object.fromEntries([...map].map(([index, value]) => [String(index), value])) : undefined);
  const { insertResults, updateResults, deleteResults, ...counts } = result;
  const verbose = insertResults ? { insertResults: byIndex(insertResults), updateResults: byIndex(updateResults), deleteResults: byIndex(deleteResults) } : {};
  return { ...counts, ...verbose };
}

/**
 * Client operations by name. Client-level bulkWrite sends a command only servers from 8.0 on
 * know; tests where it would reach the server are a declared unsupported feature, so here it
 * runs only where the driver refuses the models itself.
 */
export const CLIENT_OPERATIONS: Record<string, OperationSpec<MongoClient>> = {
  clientBulkWrite: {
    required: ['models'],
    optional: ['ordered', 'bypassDocumentValidation', 'comment', 'let', 'verboseResults', 'writeConcern', 'session', 'rawData'],
    run: async (client, { models }, options) =>
      clientBulkWriteResultDocument(await client.bulkWrite((models as Document[]).map(toClientBulkWriteModel) as AnyClientBulkWriteModel<Document>[], options)),
  },
  listDatabases: {
    optional: ['filter', 'nameOnly', 'authorizedDatabases', 'session'],
    run: async (client, _values, { filter, ...options }) => (await client.db('admin').admin().listDatabases({ ...options, filter })).databases,
    iterable: true,
  },
  listDatabaseNames: {
    optional: ['filter', 'authorizedDatabases', 'session'],
    run: async (client, _values, { filter, ...options }) =>
      (await client.db('admin').admin().listDatabases({ ...options, filter, nameOnly: true })).databases.map((d) => d.name),
  },
};

/** Cursor operations by name, for cursors saved by createFindCursor. */
export const CURSOR_OPERATIONS: Record<string, OperationSpec<AbstractCursor>> = {
  iterateUntilDocumentOrError: {
    run: async (cursor) => {
      const document = await cursor.next();
      if (document === null) throw new TestFailure('iterateUntilDocumentOrError: the cursor is exhausted');
      return document;
    },
  },
  iterateOnce: { run: (cursor) => cursor.tryNext() },
  close: {
    run: async (cursor) => {
      await cursor.close();
      return undefined;
    },
  },
};

async function collectionNames(client: MongoClient, databaseName: string): Promise<string[]> {
  return (await client.db(databaseName).listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
}

async function indexNames(client: MongoClient, databaseName: string, collectionName: string): Promise<string[]> {
  return (await client.db(databaseName).collection(collectionName).listIndexes().toArray()).map((i: Document) => i.name);
}

function assertThat(condition: boolean, message: string): undefined {
  if (!condition) throw new TestFailure(message);
  return undefined;
}

/** The special testRunner operations the runner implements. */
export const TEST_RUNNER_OPERATIONS: Record<string, OperationSpec<null>> = {
  // Set through the test's own client, as the format requires (it may be the only one that
  // reaches the right server); recorded so the runner can turn it off after the test.
  failPoint: {
    required: ['client', 'failPoint'],
    run: async (_none, { client, failPoint }, _options, { entities, failPoints }) => {
      const name = (failPoint as Document).configureFailPoint;
      if (typeof name !== 'string') throw new RunnerError('failPoint: configureFailPoint must name a fail point');
      await entities.get(client, 'client').client.db('admin').command(failPoint, { readPreference: ReadPreference.primary });
      failPoints.push(name);
      return undefined;
    },
  },
  assertCollectionExists: {
    required: ['databaseName', 'collectionName'],
    run: async (_none, { databaseName, collectionName }, _options, { internalClient }) =>
      assertThat((await collectionNames(internalClient, databaseName)).includes(collectionName), `collection ${databaseName}.${collectionName} does not exist`),
  },
  assertCollectionNotExists: {
    required: ['databaseName', 'collectionName'],
    run: async (_none, { databaseName, collectionName }, _options, { internalClient }) =>
      assertThat(!(await collectionNames(internalClient, databaseName)).includes(collectionName), `collection ${databaseName}.${collectionName} exists`),
  },
  assertIndexExists: {
    required: ['databaseName', 'collectionName', 'indexName'],
    run: async (_none, { databaseName, collectionName, indexName }, _options, { internalClient }) =>
      assertThat((await indexNames(internalClient, databaseName, collectionName)).includes(indexName), `index ${indexName} does not exist`),
  },
  assertIndexNotExists: {
    required: ['databaseName', 'collectionName', 'indexName'],
    run: async (_none, { databaseName, collectionName, indexName }, _options, { internalClient }) =>
      assertThat(!(await indexNames(internalClient, databaseName, collectionName)).includes(indexName), `index ${indexName} exists`),
  },
};
