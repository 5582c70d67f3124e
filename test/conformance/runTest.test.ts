import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runUnifiedTest } from './unified/runTest';
import { openTarget, type Target } from './unified/target';
import type { Operation, UnifiedTest, UnifiedTestFile } from './unified/types';

let target: Target;
let internalClient: MongoClient;

beforeAll(async () => {
  // An empty environment: always the embedded server, whatever the shell exports.
  target = await openTarget(join(dirname(fileURLToPath(import.meta.url)), '../..'), {});
  internalClient = await new MongoClient(target.uri).connect();
});
afterAll(async () => {
  await internalClient.close();
  await target.close();
});

const file: UnifiedTestFile = {
  description: 'fail points',
  schemaVersion: '1.0',
  createEntities: [
    { client: { id: 'client0', observeEvents: ['commandStartedEvent'] } },
    { database: { id: 'database0', client: 'client0', databaseName: 'fail-point-tests' } },
    { collection: { id: 'collection0', database: 'database0', collectionName: 'coll0' } },
  ],
  tests: [],
};

const failInserts: Operation = {
  object: 'testRunner',
  name: 'failPoint',
  arguments: { client: 'client0', failPoint: { configureFailPoint: 'failCommand', mode: 'alwaysOn', data: { failCommands: ['insert'], errorCode: 8 } } },
};

const insert = (id: number, expectError?: Operation['expectError']): Operation => ({
  object: 'collection0',
  name: 'insertOne',
  arguments: { document: { _id: id } },
  ...(expectError ? { expectError } : {}),
});

describe('the failPoint operation', () => {
  it('sets the fail point through the client entity, unobserved, and it takes effect', async () => {
    const test: UnifiedTest = {
      description: 'fails an insert',
      operations: [failInserts, insert(1, { errorCode: 8, errorResponse: { code: 8 } })],
      expectEvents: [{ client: 'client0', events: [{ commandStartedEvent: { commandName: 'insert' } }] }],
    };
    expect(await runUnifiedTest(file, test, { uri: target.uri, internalClient })).toEqual({ passed: true });
  });

  it('is turned off after the test, even one that failed while it was on', async () => {
    const test: UnifiedTest = { description: 'leaves it on', operations: [failInserts, insert(2)] };
    expect(await runUnifiedTest(file, test, { uri: target.uri, internalClient })).toMatchObject({ passed: false });
    await expect(internalClient.db('fail-point-tests').collection<{ _id: number }>('coll0').insertOne({ _id: 3 })).resolves.toMatchObject({ acknowledged: true });
  });
});
