import type { Document } from 'bson';
import type { Operation, UnifiedTest, UnifiedTestFile } from './types';

/**
 * Every reason to skip an in-scope test, in one place so that the conformance README can cite it:
 * the features Godo's embedded server declares unsupported ({@link UNSUPPORTED_FEATURES}) and the
 * Node driver's known deviations from the tests ({@link DRIVER_DEVIATIONS}). A test that runs into
 * one is skipped with its reason before any of it runs, whatever server the runner targets, so
 * that counts against the embedded server and a real MongoDB stay comparable.
 */
export interface UnsupportedFeature {
  /** Stable short name, e.g. "collation". */
  name: string;
  /** The skip reason the report prints. */
  reason: string;
  /** Whether a test needs the feature. */
  neededBy(test: UnifiedTest, file: UnifiedTestFile): boolean;
}

function hasKeyDeep(value: unknown, key: string): boolean {
  if (Array.isArray(value)) return value.some((element) => hasKeyDeep(element, key));
  if (value === null || typeof value !== 'object') return false;
  return Object.entries(value as Document).some(([name, child]) => name === key || hasKeyDeep(child, key));
}

function anyOperation(test: UnifiedTest, predicate: (operation: Operation) => boolean): boolean {
  return test.operations.some(predicate);
}

/** Every declared unsupported feature, checked in this order (the first one needed names the skip). */
export const UNSUPPORTED_FEATURES: readonly UnsupportedFeature[] = [
  {
    // The `bulkWrite` command is 8.0's; a test expecting the driver itself to refuse the models
    // (a client error, nothing sent) needs no server support and runs.
    name: 'clientBulkWrite',
    reason: 'unsupported: client-level bulkWrite (MongoClient.bulkWrite) needs server 8.0',
    neededBy: (test) => anyOperation(test, (op) => op.name === 'clientBulkWrite' && op.expectError?.isClientError !== true),
  },
  {
    name: 'collation',
    reason: 'unsupported: collation',
    neededBy: (test) => anyOperation(test, (op) => hasKeyDeep(op.arguments, 'collation')),
  },
  {
    // A real server rejects a hint naming an index it does not have (or, before 4.4, any hint
    // on some write commands); the embedded server has no query planner to validate hints against.
    name: 'hintErrors',
    reason: 'unsupported: errors from a query planner rejecting an index hint',
    neededBy: (test) => anyOperation(test, (op) => op.expectError !== undefined && hasKeyDeep(op.arguments, 'hint')),
  },
];

// The Node driver sends bypassDocumentValidation only when true for these operations (its
// aggregate, findAndModify and bulk-write code paths; NODE-6484, skipped by its own spec runner)
// and has no option to send `false`, so a test asserting that `false` reaches the server cannot
// pass with it, whatever the server does. (insertOne, replaceOne and update* do send it.)
const OMITS_FALSE_BYPASS = new Set(['aggregate', 'bulkWrite', 'findOneAndReplace', 'findOneAndUpdate', 'insertMany']);

/**
 * Tests the official Node driver cannot pass against any server, because it deliberately differs
 * from what they assert. Not server features; listed here so every skip is explained in one file.
 * (Its replacing of a null `_id` is worked around, not skipped: see collectionOperations.ts.)
 */
export const DRIVER_DEVIATIONS: readonly UnsupportedFeature[] = [
  {
    name: 'bypassDocumentValidationFalse',
    reason: 'node driver: never sends bypassDocumentValidation: false for aggregate, bulk writes and findAndModify (NODE-6484)',
    neededBy: (test) =>
      test.expectEvents !== undefined &&
      anyOperation(test, (op) => OMITS_FALSE_BYPASS.has(op.name) && op.arguments?.bypassDocumentValidation === false),
  },
];

/** The first declared unsupported feature or driver deviation `test` runs into, or undefined. */
export function unsupportedFeatureOf(test: UnifiedTest, file: UnifiedTestFile): UnsupportedFeature | undefined {
  return [...UNSUPPORTED_FEATURES, ...DRIVER_DEVIATIONS].find((feature) => feature.neededBy(test, file));
}
