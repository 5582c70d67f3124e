import type { Document } from 'bson';

/**
 * The parts of MongoDB's Unified Test Format (schema 1.x) that the CRUD specification tests use,
 * as they look after Extended JSON parsing. Fields the runner does not know are left as
 * `Document` so that it can refuse them explicitly instead of ignoring them.
 */

/** One way a test's environment can be satisfied; a list of them is satisfied by any one. */
export interface RunOnRequirement {
  minServerVersion?: string;
  maxServerVersion?: string;
  topologies?: string[];
  serverless?: 'require' | 'forbid' | 'allow';
  serverParameters?: Document;
  auth?: boolean;
  authMechanism?: string;
  csfle?: boolean | Document;
}

/** A `createEntities` element: exactly one key naming the entity type. */
export type EntityDescription = Record<string, Document>;

/** Documents a collection holds before (`initialData`) or after (`outcome`) a test. */
export interface CollectionData {
  collectionName: string;
  databaseName: string;
  documents: Document[];
  createOptions?: Document;
}

/** An `expectError` assertion. */
export interface ExpectedError {
  isError?: boolean;
  isClientError?: boolean;
  isTimeoutError?: boolean;
  errorContains?: string;
  errorCode?: number;
  errorCodeName?: string;
  errorLabelsContain?: string[];
  errorLabelsOmit?: string[];
  errorResponse?: Document;
  expectResult?: unknown;
  writeErrors?: Document;
  writeConcernErrors?: Document[];
}

/** One step of a test. `object` is an entity id or `testRunner`. */
export interface Operation {
  object: string;
  name: string;
  arguments?: Document;
  expectResult?: unknown;
  expectError?: ExpectedError;
  saveResultAsEntity?: string;
  ignoreResultAndError?: boolean;
}

/** The events one client is expected to have observed, in order. */
export interface ExpectedEventsForClient {
  client: string;
  eventType?: 'command' | 'cmap' | 'sdam';
  events: Document[];
  ignoreExtraEvents?: boolean;
}

/** One test case of a file. */
export interface UnifiedTest {
  description: string;
  runOnRequirements?: RunOnRequirement[];
  skipReason?: string;
  operations: Operation[];
  expectEvents?: ExpectedEventsForClient[];
  outcome?: CollectionData[];
}

/** One specification test file. */
export interface UnifiedTestFile {
  description: string;
  schemaVersion: string;
  runOnRequirements?: RunOnRequirement[];
  createEntities?: EntityDescription[];
  initialData?: CollectionData[];
  tests: UnifiedTest[];
}

/** How one test ended. `reason` explains every failure and every skip. */
export type TestStatus = 'passed' | 'failed' | 'skipped';

/** The verdict on one test, as the report prints it. */
export interface TestOutcome {
  file: string;
  test: string;
  status: TestStatus;
  reason?: string;
  /** Longer explanation printed with --verbose. */
  detail?: string;
}
