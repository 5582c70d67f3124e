import { MongoServerError } from 'mongodb';
import { prepareArguments } from './arguments';
import { COLLECTION_OPERATIONS } from './collectionOperations';
import type { EntityMap } from './entities';
import { checkExpectedError, describeError } from './expectedError';
import { findMismatch } from './match';
import type { OperationContext, OperationSpec } from './operationSpec';
import { CLIENT_OPERATIONS, CURSOR_OPERATIONS, DATABASE_OPERATIONS, TEST_RUNNER_OPERATIONS } from './otherOperations';
import { RunnerError } from './runnerError';
import { TestFailure } from './testFailure';
import type { Operation } from './types';
import { describeValue } from './values';

// A server error is best explained by the server's reply; anything else by where it was thrown.
function errorDetail(error: unknown): string | undefined {
  if (error instanceof MongoServerError) return `server reply: ${describeValue(error.errorResponse, 2000)}`;
  return error instanceof Error ? error.stack : undefined;
}

interface Resolved {
  spec: OperationSpec<unknown>;
  target: unknown;
}

function lookup<T>(table: Record<string, OperationSpec<T>>, kind: string, name: string): OperationSpec<unknown> {
  const spec = Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
  if (!spec) throw new RunnerError(`unsupported ${kind} operation ${name}`);
  return spec as OperationSpec<unknown>;
}

function resolve(operation: Operation, entities: EntityMap): Resolved {
  if (operation.object === 'testRunner') return { spec: lookup(TEST_RUNNER_OPERATIONS, 'testRunner', operation.name), target: null };
  const entity = entities.any(operation.object);
  switch (entity.kind) {
    case 'collection':
      return { spec: lookup(COLLECTION_OPERATIONS, 'collection', operation.name), target: entity.collection };
    case 'database':
      return { spec: lookup(DATABASE_OPERATIONS, 'database', operation.name), target: entity.database };
    case 'client':
      return { spec: lookup(CLIENT_OPERATIONS, 'client', operation.name), target: entity.client };
    case 'cursor':
      return { spec: lookup(CURSOR_OPERATIONS, 'cursor', operation.name), target: entity.cursor };
    default:
      throw new RunnerError(`entity ${operation.object} (a ${entity.kind}) has no operations`);
  }
}

/**
 * Performs one operation of a test and checks its `expectError`, `expectResult` and
 * `saveResultAsEntity` the way the unified format's "Executing an Operation" describes.
 * @throws TestFailure when an assertion does not hold; RunnerError when the runner cannot perform it.
 */
export async function executeOperation(operation: Operation, entities: EntityMap, context: OperationContext): Promise<void> {
  const { spec, target } = resolve(operation, entities);
  const label = `${operation.object}.${operation.name}`;
  const { values, options } = prepareArguments(label, operation.arguments, spec.required ?? [], spec.optional ?? [], entities);
  let result: unknown;
  let error: unknown;
  let failed = false;
  try {
    result = await spec.run(target, values, options, context);
  } catch (caught) {
    if (caught instanceof RunnerError || caught instanceof TestFailure) throw caught;
    error = caught;
    failed = true;
  }
  if (operation.ignoreResultAndError) return;
  if (operation.expectError) {
    if (!failed) throw new TestFailure(`expected an error, got result ${describeValue(result)}`);
    const difference = checkExpectedError(operation.expectError, error, entities);
    if (difference) throw new TestFailure(difference, errorDetail(error));
    return;
  }
  if (failed) throw new TestFailure(`unexpected error ${describeError(error)}`, errorDetail(error));
  if (operation.expectResult !== undefined) {
    if (spec.entity) throw new RunnerError(`${label} returns a ${spec.entity}, which cannot be matched`);
    const mismatch = findMismatch(operation.expectResult, result, { root: true, rootArray: spec.iterable === true, entities });
    if (mismatch) throw new TestFailure(`expectResult ${mismatch}`, `actual result: ${describeValue(result, 4000)}`);
  }
  if (operation.saveResultAsEntity) {
    const id = operation.saveResultAsEntity;
    if (spec.entity === 'cursor') entities.set(id, { kind: 'cursor', cursor: result as never });
    else entities.set(id, { kind: 'value', value: result });
  }
}
