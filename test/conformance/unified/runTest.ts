import type { MongoClient } from 'mongodb';
import { checkOutcome, loadInitialData } from './collectionData';
import { createEntities, EntityMap } from './entities';
import { checkExpectedEvents } from './events';
import { executeOperation } from './operations';
import type { OperationContext } from './operationSpec';
import { RunnerError } from './runnerError';
import { TestFailure } from './testFailure';
import type { UnifiedTest, UnifiedTestFile } from './types';

/** Where and how a test runs. */
export interface TestEnvironment {
  /** Connection string for the client entities. */
  uri: string;
  /** The runner's own client, for initialData, outcome and testRunner assertions. */
  internalClient: MongoClient;
}

/** The verdict of running one in-scope test. */
export type RunVerdict = { passed: true } | { passed: false; reason: string; detail?: string };

function withStep<T>(step: string, action: () => Promise<T>): Promise<T> {
  return action().catch((error: unknown) => {
    if (error instanceof TestFailure) throw new TestFailure(`${step}: ${error.message}`, error.detail);
    if (error instanceof RunnerError) throw new RunnerError(`${step}: ${error.message}`);
    throw new TestFailure(`${step}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  });
}

/**
 * Turns off the fail points a test set, through the internal client: a fail point outlives the
 * client that set it, and one left on would fail the tests after it.
 * Answers with the first failure, or undefined.
 */
async function disableFailPoints(environment: TestEnvironment, names: readonly string[]): Promise<string | undefined> {
  for (const name of new Set(names)) {
    try {
      await environment.internalClient.db('admin').command({ configureFailPoint: name, mode: 'off' });
    } catch (error) {
      return `runner: turning off fail point ${name} failed: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  return undefined;
}

/**
 * Runs one test of `file` as the unified format's "Executing a Test" describes: set up
 * initialData, create a fresh entity map, perform the operations, stop event listeners, check
 * expectEvents and outcome, turn off the fail points it set, and close every entity whatever
 * happened. Never throws: every failure, including the runner's own, becomes a failed verdict.
 */
export async function runUnifiedTest(file: UnifiedTestFile, test: UnifiedTest, environment: TestEnvironment): Promise<RunVerdict> {
  const entities = new EntityMap();
  const context: OperationContext = { internalClient: environment.internalClient, entities, failPoints: [] };
  const verdict = await runSteps(file, test, environment, context);
  const cleanup = await disableFailPoints(environment, context.failPoints);
  await entities.close();
  return cleanup && verdict.passed ? { passed: false, reason: cleanup } : verdict;
}

async function runSteps(file: UnifiedTestFile, test: UnifiedTest, environment: TestEnvironment, context: OperationContext): Promise<RunVerdict> {
  const { entities } = context;
  try {
    await withStep('initialData', () => loadInitialData(environment.internalClient, file.initialData));
    await withStep('createEntities', async () => createEntities(file.createEntities, entities, environment.uri));
    for (const [index, operation] of test.operations.entries()) {
      await withStep(`operation ${index} ${operation.object}.${operation.name}`, () => executeOperation(operation, entities, context));
    }
    const logs = entities.eventLogs();
    for (const log of logs.values()) log.stop();
    for (const expectation of test.expectEvents ?? []) {
      const log = logs.get(expectation.client);
      if (!log) throw new RunnerError(`expectEvents: client ${expectation.client} does not observe events`);
      const difference = checkExpectedEvents(expectation, log, entities);
      if (difference) throw new TestFailure(`expectEvents ${difference}`);
    }
    await withStep('outcome', () => checkOutcome(environment.internalClient, test.outcome));
    return { passed: true };
  } catch (error) {
    if (error instanceof TestFailure) return { passed: false, reason: error.message, detail: error.detail };
    if (error instanceof RunnerError) return { passed: false, reason: `runner: ${error.message}` };
    return { passed: false, reason: `unexpected ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`, detail: error instanceof Error ? error.stack : undefined };
  }
}
