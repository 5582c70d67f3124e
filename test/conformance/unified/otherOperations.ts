import type { Document } from 'bson';
import type { AbstractCursor, Db, MongoClient } from 'mongodb';
import type { OperationSpec } from './operationSpec';
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

/** Client operations by name (client-level bulkWrite is a declared unsupported feature). */
export const CLIENT_OPERATIONS: Record<string, OperationSpec<MongoClient>> = {
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

/** The special testRunner operations the runner implements (fail points are declared unsupported). */
export const TEST_RUNNER_OPERATIONS: Record<string, OperationSpec<null>> = {
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
