/**
 * Runs MongoDB's unified-format CRUD specification tests against Godo's embedded server (or a real
 * MongoDB named by CONFORMANCE_MONGODB_URI / TEST_MONGODB_URI) through the official Node driver.
 *
 *   npm run test:conformance [-- --filter <substring>] [--verbose]
 *
 * Data: CONFORMANCE_DIR, else ../shared/conformance/mongodb-crud-unified beside the repository.
 * Prints each failure as `file › test › reason`, skip reasons with counts, and ends with the line
 * `N passed, N failed, N skipped`. Exits 1 when an in-scope test failed.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { MongoClient } from 'mongodb';
import { loadTestFiles } from './unified/load';
import { failureLine, renderReport } from './unified/report';
import { STANDALONE_7_0 } from './unified/requirements';
import { runUnifiedTest, type RunVerdict } from './unified/runTest';
import { decide } from './unified/scope';
import { describeServer, openTarget } from './unified/target';
import type { TestOutcome } from './unified/types';

const TEST_TIMEOUT_MS = 20_000;

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function withTimeout(promise: Promise<RunVerdict>): Promise<RunVerdict> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<RunVerdict>((done) => {
    timer = setTimeout(() => done({ passed: false, reason: `timed out after ${TEST_TIMEOUT_MS / 1000}s` }), TEST_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function reachable(client: MongoClient): Promise<boolean> {
  return client.db('admin').command({ ping: 1 }).then(
    () => true,
    () => false,
  );
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { filter: { type: 'string' }, verbose: { type: 'boolean', default: false } } });
  const filter = values.filter?.toLowerCase();
  const verbose = values.verbose ?? false;
  const directory = resolve(repoRoot, process.env.CONFORMANCE_DIR ?? '../shared/conformance/mongodb-crud-unified');
  const files = await loadTestFiles(directory);
  const selected = files.flatMap(({ name, file }) =>
    file.tests.filter((test) => !filter || `${name} › ${test.description}`.toLowerCase().includes(filter)).map((test) => ({ name, file, test })),
  );
  const total = files.reduce((sum, { file }) => sum + file.tests.length, 0);

  const target = await openTarget(repoRoot);
  const internalClient = new MongoClient(target.uri, { serverSelectionTimeoutMS: 5000 });
  const outcomes: TestOutcome[] = [];
  try {
    const profile = await describeServer(internalClient, target.uri);
    console.log(`Target: ${target.label}: version ${profile.version}, topology ${profile.topology}`);
    if (profile.topology !== STANDALONE_7_0.topology || !profile.version.startsWith('7.0')) {
      console.log(`Note: scope is defined for a standalone 7.0 server; this one changes which tests are in scope.`);
    }
    console.log(`Data: ${directory}: ${total} tests in ${files.length} files${filter ? `, ${selected.length} selected by --filter` : ''}`);

    let inScope = 0;
    let serverLost = false;
    for (const { name, file, test } of selected) {
      const decision = decide(file, test, profile);
      let outcome: TestOutcome;
      if (decision.action === 'skip') {
        if (decision.inScope) inScope++;
        outcome = { file: name, test: test.description, status: 'skipped', reason: decision.reason };
      } else if (decision.action === 'fail') {
        inScope++;
        outcome = { file: name, test: test.description, status: 'failed', reason: decision.reason };
      } else {
        inScope++;
        const verdict: RunVerdict = serverLost
          ? { passed: false, reason: 'not run: the server stopped answering during an earlier test' }
          : await withTimeout(runUnifiedTest(file, test, { uri: target.uri, internalClient }));
        outcome = verdict.passed
          ? { file: name, test: test.description, status: 'passed' }
          : { file: name, test: test.description, status: 'failed', reason: verdict.reason, detail: verdict.detail };
        if (!verdict.passed && !serverLost && !(await reachable(internalClient))) serverLost = true;
      }
      outcomes.push(outcome);
      if (verbose) {
        const line = outcome.status === 'failed' ? `FAIL ${failureLine(outcome)}` : `${outcome.status === 'passed' ? 'ok  ' : 'skip'} ${outcome.file} › ${outcome.test}${outcome.reason ? ` › ${outcome.reason}` : ''}`;
        console.log(line);
        if (outcome.detail) console.log(`     ${outcome.detail.replace(/\n/g, '\n     ')}`);
      }
    }
    console.log(`In scope for ${profile.topology} ${profile.version}: ${inScope} of ${selected.length} tests`);
  } finally {
    await internalClient.close().catch(() => undefined);
    await target.close().catch((error: unknown) => console.error(`closing the target failed: ${String(error)}`));
  }
  console.log(renderReport(outcomes));
  return outcomes.some((outcome) => outcome.status === 'failed') ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 1;
  },
);
