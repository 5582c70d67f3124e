/**
 * REST load generator, run as its own process (forked by rest.bench.ts) so that neither the server
 * nor the bench orchestrator shares its event loop. It receives one job over IPC, drives it with
 * autocannon's programmatic API and answers with the result plus its own saturation measures: its
 * CPU (% of a core) and its event-loop delay. A generator that is itself busy cannot issue requests
 * on time, so its latencies would measure it, not the server.
 */
import { createRequire } from 'node:module';
import { monitorEventLoopDelay } from 'node:perf_hooks';

/** The part of autocannon 8's API used here (it ships no TypeScript types). */
interface AutocannonRequest {
  method: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?(request: AutocannonRequest, context: Record<string, unknown>): AutocannonRequest;
  onResponse?(status: number, body: string, context: Record<string, unknown>): void;
}
interface AutocannonResult {
  requests: { total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Autocannon = (options: { url: string; connections: number; duration: number; requests: AutocannonRequest[] }) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

/** What the orchestrator asks for. */
export interface RestJob {
  kind: 'submit' | 'reconciliation';
  url: string;
  connections: number;
  seconds: number;
  /** submit: one cookie per reviewer; reconciliation: the director's cookie only. */
  cookies: string[];
  proposalIds: string[];
  criteria: string[];
  /** submit: the version each `<reviewer index>:<proposalId>` review was last saved at (from the previous run). */
  versions: Record<string, number>;
}

/** What the generator answers. */
export interface RestLoadResult {
  requests: number;
  requestsPerSec: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  generatorCpuPercent: number;
  generatorLoopDelayP99Ms: number;
  /** submit: versions after this run, for the next one. */
  versions: Record<string, number>;
}

/**
 * Builds the request list. Review saves need the version each review was last saved at (a stale
 * one is a 409): autocannon resets a connection's context after every request, so the versions live
 * here, per (reviewer, proposal) slot, and a slot is lent to one in-flight request at a time.
 */
function requestsFor(job: RestJob, versions: Record<string, number>): AutocannonRequest[] {
  const origin = new URL(job.url).origin;
  if (job.kind === 'reconciliation') {
    let next = 0;
    return [
      {
        method: 'GET',
        setupRequest: (request) => ({
          ...request,
          path: `/api/proposals/${job.proposalIds[next++ % job.proposalIds.length]}/reconciliation`,
          headers: { ...request.headers, cookie: job.cookies[0] },
        }),
      },
    ];
  }
  const slots = job.cookies.flatMap((cookie, r) => job.proposalIds.map((proposalId) => ({ cookie, proposalId, key: `${r}:${proposalId}` })));
  const free = slots.map((_, i) => i);
  let turn = 0;
  return [
    {
      method: 'PUT',
      setupRequest: (request, context) => {
        const slot = free.shift()!;
        context.slot = slot;
        const { cookie, proposalId, key } = slots[slot];
        const version = versions[key] ?? 0;
        const step = turn++ % 6;
        const scores = Object.fromEntries(job.criteria.map((key, k) => [key, 2 + ((step + k) % 6) / 2]));
        return {
          ...request,
          path: `/api/proposals/${proposalId}/reviews/mine`,
          // Satisfies the CSRF guard as a browser would: JSON body, this server's Origin.
          headers: { ...request.headers, cookie, origin, 'content-type': 'application/json' },
          body: JSON.stringify({ scores, comments: Object.fromEntries(job.criteria.map((key) => [key, 'Sound method; clear plan.'])), confidence: 4, submit: true, version }),
        };
      },
      onResponse: (status, body, context) => {
        const slot = context.slot as number;
        if (status !== 200 && process.env.REST_DEBUG) process.stderr.write(`[rest] ${status} ${body.slice(0, 300)}\n`);
        if (status === 200) versions[slots[slot].key] = (JSON.parse(body) as { review: { version: number } }).review.version;
        free.push(slot);
      },
    },
  ];
}

process.once('message', async (job: RestJob) => {
  const versions = { ...job.versions };
  if (job.kind === 'submit') {
    // A request cut off at the end of the previous run may have been stored: read the versions back.
    for (const [r, cookie] of job.cookies.entries()) {
      for (const proposalId of job.proposalIds) {
        const response = await fetch(`${job.url}/api/proposals/${proposalId}/reviews/mine`, { headers: { cookie } });
        const { review } = (await response.json()) as { review: { version: number } | null };
        versions[`${r}:${proposalId}`] = review?.version ?? 0;
      }
    }
  }
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const result = await autocannon({ url: job.url, connections: job.connections, duration: job.seconds, requests: requestsFor(job, versions) });
  const wall = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  delay.disable();
  const answer: RestLoadResult = {
    requests: result.requests.total,
    requestsPerSec: result.requests.total / (wall / 1000),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    generatorCpuPercent: ((cpu.user + cpu.system) / 1000 / wall) * 100,
    generatorLoopDelayP99Ms: delay.percentile(99) / 1e6,
    versions,
  };
  process.send!(answer, () => process.exit(0));
});
process.on('disconnect', () => process.exit(0));
