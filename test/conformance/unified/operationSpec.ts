import type { Document } from 'bson';
import type { MongoClient } from 'mongodb';
import type { EntityMap } from './entities';

/** What an operation can reach besides its target object. */
export interface OperationContext {
  /** The runner's own client, for testRunner assertions. */
  internalClient: MongoClient;
  /** The test's entities, for testRunner operations that name one (failPoint's client). */
  entities: EntityMap;
  /** Names of the fail points the test set; the runner turns each off after the test. */
  failPoints: string[];
}

/**
 * How the runner performs one unified-format operation on a target of type `T`.
 * `run` receives the required arguments as given and the optional ones converted to driver options.
 */
export interface OperationSpec<T> {
  required?: readonly string[];
  optional?: readonly string[];
  /** The result is a list of root-level documents (cursor results: extra fields allowed in each). */
  iterable?: boolean;
  /** The result is a driver object to be saved as an entity of this kind, never matched. */
  entity?: 'cursor';
  run(target: T, values: Document, options: Document, context: OperationContext): Promise<unknown>;
}
