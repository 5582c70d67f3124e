import type { MongoClient } from 'mongodb';
import { MongoServerError } from 'mongodb';
import { findExactMismatch } from './match';
import { TestFailure } from './testFailure';
import type { CollectionData } from './types';
import { describeValue } from './values';

const MAJORITY = { w: 'majority' } as const;
const NAMESPACE_NOT_FOUND = 26;

/**
 * Sets up `initialData` with the internal client and a majority write concern: drop each
 * collection, create it when it has create options or no documents, insert the documents.
 * @throws TestFailure naming the collection when the server refuses a step.
 */
export async function loadInitialData(client: MongoClient, data: CollectionData[] | undefined): Promise<void> {
  for (const { databaseName, collectionName, documents, createOptions } of data ?? []) {
    const namespace = `${databaseName}.${collectionName}`;
    const db = client.db(databaseName);
    try {
      await db.collection(collectionName).drop({ writeConcern: MAJORITY }).catch((error: unknown) => {
        if (!(error instanceof MongoServerError && error.code === NAMESPACE_NOT_FOUND)) throw error;
      });
      if (createOptions || documents.length === 0) {
        await db.createCollection(collectionName, { ...createOptions, writeConcern: MAJORITY });
      }
      if (documents.length > 0) await db.collection(collectionName).insertMany(documents, { writeConcern: MAJORITY });
    } catch (error) {
      throw new TestFailure(`initialData for ${namespace}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/**
 * Checks `outcome`: each collection, read with the internal client sorted by `_id` (primary, local
 * read concern), must hold exactly the expected documents.
 * @throws TestFailure with the first difference.
 */
export async function checkOutcome(client: MongoClient, outcome: CollectionData[] | undefined): Promise<void> {
  for (const { databaseName, collectionName, documents: expected } of outcome ?? []) {
    const namespace = `${databaseName}.${collectionName}`;
    const collection = client.db(databaseName).collection(collectionName, { readConcern: { level: 'local' }, readPreference: 'primary' });
    const actual = await collection.find({}, { sort: { _id: 1 } }).toArray();
    const detail = `expected ${describeValue(expected, 2000)}\nactual   ${describeValue(actual, 2000)}`;
    if (actual.length !== expected.length) {
      throw new TestFailure(`outcome ${namespace}: expected ${expected.length} document(s), found ${actual.length}: ${describeValue(actual)}`, detail);
    }
    for (let i = 0; i < expected.length; i++) {
      const difference = findExactMismatch(expected[i], actual[i]);
      if (difference) throw new TestFailure(`outcome ${namespace} document ${i}: ${difference.replace(/^\$/, '')}`, detail);
    }
  }
}
