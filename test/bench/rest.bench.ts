import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { load1, progress, writeResults, type SummaryRow } from './report.js';
import { startServer, type BenchServer } from './support/servers.js';
import type { RestJob, RestLoadResult } from './support/restLoad.js';
import { cell, median } from './support/stats.js';

const CONNECTIONS = Number(process.env.REST_CONNECTIONS ?? 10);
const SECONDS = Number(process.env.REST_SECONDS ?? 8);
const RUNS = Number(process.env.REST_RUNS ?? 3);
const REVIEWERS = 10;
const PROPOSALS = 4;
/** Above these the generator process is the bottleneck (one core, busy event loop): latencies are refused. */
const MAX_GENERATOR_CPU_PERCENT = 85;
const MAX_GENERATOR_LOOP_DELAY_P99_MS = 20;

/** Each review's last saved version, carried from one generator process to the next. */
const versions: Record<string, number> = {};

const here = path.dirname(fileURLToPath(import.meta.url));

interface RunOutcome extends RestLoadResult {
  saturated: boolean;
  serverCpuPercent: number;
  load: number;
}

/** One autocannon run in a separate process against the running server. */
async function drive(server: BenchServer, job: Omit<RestJob, 'versions'>): Promise<RunOutcome> {
  const child = fork(path.join(here, 'support', 'restLoad.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const answered = once(child, 'message') as Promise<[RestLoadResult]>;
  const cpuBefore = await server.cpu();
  const started = performance.now();
  child.send({ ...job, versions });
  const [result] = await answered;
  Object.assign(versions, result.versions);
  const wall = performance.now() - started;
  const cpuAfter = await server.cpu();
  const load = Number(load1());
  if (child.exitCode === null) await once(child, 'exit');
  const saturated = result.generatorCpuPercent > MAX_GENERATOR_CPU_PERCENT || result.generatorLoopDelayP99Ms > MAX_GENERATOR_LOOP_DELAY_P99_MS;
  return {
    ...result,
    p50: saturated ? Number.NaN : result.p50,
    p99: saturated ? Number.NaN : result.p99,
    saturated,
    serverCpuPercent: ((cpuAfter.user - cpuBefore.user + cpuAfter.system - cpuBefore.system) / 1000 / wall) * 100,
    load,
  };
}

/**
 * REST under load from a second process: CONNECTIONS autocannon connections (a forked child
 * process) against Godo (its own child: session-cookie auth, CSRF guard, policies, embedded
 * database on disk with fsync). Two workloads, RUNS runs of SECONDS each, medians reported:
 * reviewers submitting their reviews (PUT …/reviews/mine, submit: true, each with the version it
 * last got back, so no request is a 409), and the programme director reading reconciliations.
 */
export async function run(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'godo-bench-rest-'));
  // REST_PROFILE_DIR: CPU-profile the server child; REST_DB_COUNT=1: count its database operations per request.
  const execArgv = process.env.REST_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.REST_PROFILE_DIR}`] : [];
  const countDb = Boolean(process.env.REST_DB_COUNT);
  const server = await startServer('godo', { DOCS: '1', EDITORS: '1', GODO_DATA_DIR: dataDir, ...(countDb ? { BENCH_DB_COUNT: '1' } : {}) }, execArgv);
  const raw: Record<string, RunOutcome[]> = { submit: [], reconciliation: [] };
  try {
    const setup = await server.request<{ proposalIds: string[]; director: string; cookies: string[]; criteria: string[] }>({ type: 'restSetup', reviewers: REVIEWERS, proposals: PROPOSALS });
    const base = { url: server.httpUrl, connections: CONNECTIONS, proposalIds: setup.proposalIds, criteria: setup.criteria };
    // A short unmeasured pass of each warms the JIT, the connection pool and the submitted reviews.
    await drive(server, { ...base, kind: 'submit', seconds: 2, cookies: setup.cookies });
    await drive(server, { ...base, kind: 'reconciliation', seconds: 2, cookies: [setup.director] });
    for (let r = 0; r < RUNS; r++) {
      for (const kind of ['submit', 'reconciliation'] as const) {
        progress(`rest ${kind} run ${r + 1}/${RUNS}`);
        if (countDb) await server.request({ type: 'dbOps' });
        const outcome = await drive(server, { ...base, kind, seconds: SECONDS, cookies: kind === 'submit' ? setup.cookies : [setup.director] });
        if (countDb) {
          const ops = await server.request<Record<string, number>>({ type: 'dbOps' });
          const perRequest = Object.entries(ops).map(([key, n]) => `${key} ${(n / outcome.requests).toFixed(2)}`);
          const total = Object.values(ops).reduce((s, n) => s + n, 0) / outcome.requests;
          progress(`  db ops per request ${total.toFixed(2)}: ${perRequest.join(', ')}`);
        }
        progress(`  ${cell(outcome.requestsPerSec, 0)} req/s p99 ${cell(outcome.p99)} ms non-2xx ${outcome.non2xx} generator cpu ${cell(outcome.generatorCpuPercent)}%`);
        raw[kind].push(outcome);
      }
    }
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const med = (kind: string, key: keyof RunOutcome) => median(raw[kind].map((r) => Number(r[key])));
  const label: Record<string, string> = { submit: 'review submission (PUT /api/proposals/:id/reviews/mine)', reconciliation: 'reconciliation read (GET /api/proposals/:id/reconciliation)' };
  const rows = Object.keys(raw).map((kind) => [
    label[kind],
    CONNECTIONS,
    cell(med(kind, 'requestsPerSec'), 0),
    cell(med(kind, 'p50'), 1),
    cell(med(kind, 'p99'), 1),
    raw[kind].reduce((s, r) => s + r.non2xx + r.errors + r.timeouts, 0),
    cell(med(kind, 'serverCpuPercent')),
    cell(med(kind, 'generatorCpuPercent')),
    raw[kind].filter((r) => r.saturated).length,
    cell(med(kind, 'load'), 2),
  ]);
  const command = 'npm run bench -- rest';
  const summary: SummaryRow[] = Object.keys(raw).map((kind) => ({
    measure: `REST ${kind === 'submit' ? 'review submission' : 'reconciliation read'}, ${CONNECTIONS} connections: req/s, p99 ms`,
    target: '— (no target set)',
    godo: `${cell(med(kind, 'requestsPerSec'), 0)} req/s, p99 ${cell(med(kind, 'p99'))} ms`,
    peers: '—',
    ratios: '—',
    verdict: '—',
    load: cell(med(kind, 'load'), 2),
    command,
  }));
  writeResults(
    'rest',
    {
      title: `REST under load from a second process: ${CONNECTIONS} connections (autocannon), median of ${RUNS} runs of ${SECONDS} s`,
      columns: ['workload', 'connections', 'requests/s', 'p50 ms', 'p99 ms', 'non-2xx + errors (all runs)', 'server CPU % of a core', 'generator CPU % of a core', 'saturated runs', 'load avg (1 min)'],
      rows,
      notes: [
        `Godo as deployed: session cookie on every request, the CSRF guard satisfied as a browser would (JSON body, own Origin), policies, embedded database on disk (every write acknowledged after fsync). ${REVIEWERS} reviewers × ${PROPOSALS} proposals, all assigned; the director reads.`,
        'Submission: every request submits a complete review with the version the previous save returned (a stale version would be a 409 and is counted as non-2xx).',
        `The generator runs in its own process; a run where it used more than ${MAX_GENERATOR_CPU_PERCENT} % of a core or its event-loop delay p99 exceeded ${MAX_GENERATOR_LOOP_DELAY_P99_MS} ms is saturated and its latencies are not reported (—).`,
        `Regenerate: ${command} (env REST_CONNECTIONS, REST_SECONDS, REST_RUNS).`,
      ],
    },
    Object.fromEntries(Object.entries(raw).map(([kind, runs]) => [kind, runs.map(({ versions: _versions, ...rest }) => rest)])),
    summary,
  );
}
