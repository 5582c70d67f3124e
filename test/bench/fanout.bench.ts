import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as Y from 'yjs';
import { load1, progress, writeResults, type SummaryRow } from './report.js';
import { connectBenchClient, type BenchClient } from './support/clients.js';
import { PINNED, pinToCore, SERVER_LABEL, startServer, type ServerKind } from './support/servers.js';
import { cell, collectGarbage, median, pairedRatioInterval, percentile } from './support/stats.js';
import { clampPatch, loadTrace, type TracePatch } from './support/traces.js';

const DOCS = Number(process.env.FANOUT_DOCS ?? 5);
const EDITOR_CURVE = (process.env.FANOUT_EDITORS ?? '2,5,10,20').split(',').map(Number);
const EDITS_PER_SECOND = 5;
const SECONDS = Number(process.env.FANOUT_SECONDS ?? 7);
/**
 * Timed deliveries a run should collect at least: a p99 over a few hundred samples is its third
 * worst sample, which is how 5×2 (50 deliveries/s) swung 2× between identical runs. Small
 * configurations therefore run longer (up to MAX_SECONDS); the others run SECONDS.
 */
const MIN_TIMED_DELIVERIES = 1_000;
const MAX_SECONDS = 20;

/** How long a run of `editors` editors per document lasts. */
function secondsFor(editors: number): number {
  const deliveriesPerSecond = DOCS * editors * EDITS_PER_SECOND * Math.max(1, editors - 1);
  return Math.max(SECONDS, Math.min(MAX_SECONDS, Math.ceil(MIN_TIMED_DELIVERIES / deliveriesPerSecond) + 1));
}
/**
 * Seconds of typing before the timed window: V8 still optimizes a server's hot paths for several
 * seconds after the first edits (traced with --trace-opt: Godo, with more code on the path, longer
 * than a bare relay), and a run measured while it compiles measures the JIT.
 */
const WARMUP_SECONDS = Number(process.env.FANOUT_WARMUP_SECONDS ?? 5);
/**
 * At least three (the issue); eight, because p99 swings up to 2× between identical runs here: over
 * eight rounds a Godo/peer ratio's 90 % interval is about ±20 % (A/A runs of identical servers).
 */
const RUNS = Number(process.env.FANOUT_RUNS ?? 8);
/**
 * The servers of a round, by key: a server kind, or a kind with a suffix (`yws:b`) for a second
 * instance of the same server in the same rounds. Such an A/A pair measures the bench's own noise:
 * the ratio between two identical servers is what this machine reports when there is no difference.
 */
const KEYS = (process.env.FANOUT_SERVERS ?? 'godo,yws,hocuspocus').split(',');
const kindOf = (key: string) => key.split(':')[0] as ServerKind;
const labelOf = (key: string) => (key.includes(':') ? `${SERVER_LABEL[kindOf(key)]}, second instance (A/A)` : SERVER_LABEL[kindOf(key)]);

/** The servers in round `r`'s order: rotated by one per round, so each runs first, second, third equally often. */
function roundOrder(r: number): string[] {
  const shift = r % KEYS.length;
  return [...KEYS.slice(shift), ...KEYS.slice(0, shift)];
}

/** Rounds in which Godo's p99 was at most the peer's (both measured in that round, on the same slices). */
function roundsAhead(godo: RunResult[] | undefined, peer: RunResult[] | undefined): string {
  if (!godo || !peer) return '—';
  let ahead = 0;
  let compared = 0;
  for (let r = 0; r < Math.min(godo.length, peer.length); r++) {
    if (Number.isNaN(godo[r].p99) || Number.isNaN(peer[r].p99)) continue;
    compared += 1;
    if (godo[r].p99 <= peer[r].p99) ahead += 1;
  }
  return `${ahead}/${compared}`;
}
/** Above this send lag p99 the load generator itself is the bottleneck: its latencies mean nothing. */
const MAX_SEND_LAG_P99_MS = 20;

interface RunResult {
  p50: number;
  p99: number;
  /** Measured even when saturated (raw results only; such latencies measure the load generator). */
  unguardedP50: number;
  unguardedP99: number;
  /** Until the recipient had applied the edit (its transaction), which adds the load generator's own Yjs work. */
  appliedP50: number;
  appliedP99: number;
  sendLagP99: number;
  saturated: boolean;
  serverCpuPercent: number;
  /** Server CPU per 1,000 edits sent (a cost that load-generator lateness does not distort). */
  serverCpuMsPerKEdits: number;
  timed: number;
  missing: number;
  edits: number;
  /** The load generator's own CPU (% of a core) and event-loop delay max (ms). */
  generatorCpuPercent: number;
  generatorLoopDelayMaxMs: number;
  /** 1-minute load average at the end of the run. */
  load: number;
}

/** An edit in flight: when it left, and which clock of its sender marks its arrival. */
interface Sent {
  clockAfter: number;
  sentAt: number;
}

/**
 * One run: DOCS documents × `editors` clients each typing EDITS_PER_SECOND edits per second from its
 * own slice of the trace, for SECONDS. Latency is from the local transaction to the arrival at
 * each other client of the same document; the sender's clock after an insert identifies the edit
 * (delete-only edits add no clock, so they are load but are not timed).
 */
async function oneRun(kind: ServerKind, editors: number, patches: TracePatch[], run: number): Promise<RunResult> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'godo-bench-fanout-'));
  const server = await startServer(kind, { DOCS: String(DOCS), EDITORS: String(editors), GODO_DATA_DIR: dataDir }, process.env.FANOUT_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.FANOUT_CPU_PROF}`] : []);
  const clients: { client: BenchClient; doc: number; editor: number }[] = [];
  try {
    for (let d = 0; d < DOCS; d++) {
      for (let e = 0; e < editors; e++) {
        clients.push({ client: connectBenchClient(kind, server.wsUrl, server.docNames[d], server.cookies[e], { stampArrivals: true }), doc: d, editor: e });
      }
    }
    await Promise.all(clients.map((c) => c.client.synced));
    const sent = new Map<number, Sent[]>(); // sender clientID -> its timed edits, in order
    const latencies: number[] = [];
    const appliedLatencies: number[] = [];
    // Deliveries applied outside a stamped message handler (timed until applied): should stay 0.
    let unstamped = 0;
    let expected = 0;
    let delivered = 0;
    for (const { client, doc } of clients) {
      const seen = new Map<number, number>(); // sender clientID -> index of the next unseen edit
      client.doc.on('afterTransaction', (tr: Y.Transaction) => {
        if (tr.local) return;
        const now = performance.now();
        const stamped = client.arrivedAt();
        const arrivedAt = stamped ?? now;
        for (const [id, after] of tr.afterState) {
          if (id === client.doc.clientID) continue; // a server that echoes (or writes) still delivers nothing new
          const list = sent.get(id);
          if (!list) continue;
          let i = seen.get(id) ?? 0;
          while (i < list.length && list[i].clockAfter <= after) {
            if (list[i].sentAt >= warmedUp) {
              if (stamped === null) unstamped += 1;
              latencies.push(arrivedAt - list[i].sentAt);
              appliedLatencies.push(now - list[i].sentAt);
            }
            delivered += 1;
            i += 1;
          }
          seen.set(id, i);
        }
      });
      void doc;
    }
    collectGarbage();
    const loopDelay = monitorEventLoopDelay({ resolution: 5 });
    loopDelay.enable();
    const sendLags: number[] = [];
    const period = 1000 / EDITS_PER_SECOND;
    let edits = 0;
    const start = performance.now() + 200;
    const seconds = secondsFor(editors);
    // Typed at the same rate but not measured: the JIT, the sockets and the heap settle first.
    const warmedUp = start + WARMUP_SECONDS * 1000;
    const end = warmedUp + seconds * 1000;
    // Server CPU, the generator's own CPU and loop delay count from the end of the warm-up too.
    let wallBefore = 0;
    let ownCpuBefore = process.cpuUsage();
    const cpuBeforePromise = new Promise<{ user: number; system: number }>((resolve) =>
      setTimeout(() => {
        wallBefore = performance.now();
        ownCpuBefore = process.cpuUsage();
        loopDelay.reset();
        if (kind === 'godo' && process.env.BENCH_DB_COUNT) void server.request({ type: 'dbOps' });
        void server.cpu().then(resolve);
      }, warmedUp - performance.now()),
    );
    await Promise.all(
      clients.map(({ client, doc, editor }, index) => {
        const text = client.doc.getText('bench');
        const slice = ((doc * 20 + editor) * 997 + run * 131) % (patches.length - EDITS_PER_SECOND * (WARMUP_SECONDS + seconds) - 10);
        const offset = (index * period) / clients.length;
        const list: Sent[] = [];
        sent.set(client.doc.clientID, list);
        return new Promise<void>((resolve) => {
          let k = 0;
          const tick = () => {
            const due = start + offset + k * period;
            const now = performance.now();
            if (now >= end) return resolve();
            if (now < due) return void setTimeout(tick, due - now);
            const timed = due >= warmedUp;
            if (timed) sendLags.push(now - due);
            const [at, deleted, inserted] = clampPatch(patches[slice + k], text.length);
            const before = Y.getState(client.doc.store, client.doc.clientID);
            const sentAt = performance.now();
            client.doc.transact(() => {
              if (deleted > 0) text.delete(at, deleted);
              if (inserted) text.insert(at, inserted);
            });
            const after = Y.getState(client.doc.store, client.doc.clientID);
            if (after > before) {
              list.push({ clockAfter: after, sentAt });
              expected += editors - 1;
            }
            if (timed) edits += 1;
            k += 1;
            setTimeout(tick, Math.max(0, start + offset + k * period - performance.now()));
          };
          tick();
        });
      }),
    );
    // Let the last edits arrive (bounded: missing ones are counted, not waited for forever).
    const deadline = performance.now() + 3_000;
    while (delivered < expected && performance.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const cpuBefore = await cpuBeforePromise;
    const cpuAfter = await server.cpu();
    const wall = performance.now() - wallBefore;
    const cpuMs = (cpuAfter.user - cpuBefore.user + cpuAfter.system - cpuBefore.system) / 1000;
    const sendLagP99 = percentile(sendLags, 99);
    loopDelay.disable();
    const ownCpu = process.cpuUsage(ownCpuBefore);
    if (process.env.FANOUT_DEBUG) progress(`loop delay p99 ${loopDelay.percentile(99) / 1e6} max ${loopDelay.max / 1e6} own cpu ${((ownCpu.user + ownCpu.system) / 1000 / wall) * 100}%`);
    if (kind === 'godo' && process.env.BENCH_DB_COUNT) progress(`database operations during the run: ${JSON.stringify(await server.request({ type: 'dbOps' }))}`);
    if (process.env.FANOUT_DEBUG) progress(`expected ${expected} delivered ${delivered} latencies ${latencies.length}`);
    if (unstamped > 0) progress(`  ${unstamped} deliveries were applied outside a stamped message (timed until applied)`);
    const saturated = sendLagP99 > MAX_SEND_LAG_P99_MS;
    return {
      p50: saturated ? Number.NaN : percentile(latencies, 50),
      p99: saturated ? Number.NaN : percentile(latencies, 99),
      unguardedP50: percentile(latencies, 50),
      unguardedP99: percentile(latencies, 99),
      appliedP50: saturated ? Number.NaN : percentile(appliedLatencies, 50),
      appliedP99: saturated ? Number.NaN : percentile(appliedLatencies, 99),
      sendLagP99,
      saturated,
      serverCpuPercent: (cpuMs / wall) * 100,
      serverCpuMsPerKEdits: (cpuMs / edits) * 1000,
      timed: latencies.length,
      missing: expected - delivered,
      edits,
      generatorCpuPercent: ((ownCpu.user + ownCpu.system) / 1000 / wall) * 100,
      generatorLoopDelayMaxMs: loopDelay.max / 1e6,
      load: Number(load1()),
    };
  } finally {
    for (const { client } of clients) client.destroy();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Edit fan-out: p50/p99 edit latency between clients of one document and the server's CPU, at DOCS
 * documents × 2/5/10/20 editors typing 5 edits/s (slices of the real automerge-paper trace), against
 * Godo (auth + persistence on) and the two peers, RUNS runs each; medians reported.
 */
export async function run(): Promise<void> {
  if (PINNED) pinToCore(process.pid, 0);
  // A 40k-edit pool, not the whole trace: a large heap makes the load generator's GC pauses its send lag.
  const patches = loadTrace().patches.slice(0, 40_000);
  const raw: Record<string, Record<number, RunResult[]>> = {};
  for (const editors of EDITOR_CURVE) {
    // Rounds, not blocks: each round runs every server once on the same trace slices, in an order
    // rotated per round. Measured server by server, whoever ran first met the machine's leftover
    // load (a previous scenario, a build) while it settled: a drift, not a difference.
    for (let r = 0; r < RUNS; r++) {
      for (const key of roundOrder(r)) {
        progress(`fanout ${DOCS}×${editors} round ${r + 1}/${RUNS}: ${key}`);
        const result = await oneRun(kindOf(key), editors, patches, r);
        progress(`  p50 ${cell(result.p50)} ms p99 ${cell(result.p99)} ms cpu ${cell(result.serverCpuPercent)}% ${cell(result.serverCpuMsPerKEdits, 0)} ms/1k edits send lag p99 ${cell(result.sendLagP99)} ms missing ${result.missing}`);
        ((raw[key] ??= {})[editors] ??= [])[r] = result;
      }
    }
  }
  const med = (key: string, editors: number, measure: 'p50' | 'p99' | 'appliedP99' | 'serverCpuPercent' | 'serverCpuMsPerKEdits' | 'sendLagP99') =>
    raw[key]?.[editors] ? median(raw[key][editors].map((r) => r[measure])) : Number.NaN;
  const p99s = (key: string, editors: number) => (raw[key]?.[editors] ?? []).map((r) => r.p99);
  /** 90 % paired bootstrap interval of median p99 ratio a/b over the rounds. */
  const interval = (a: string, b: string, editors: number) => {
    const [lo, hi] = pairedRatioInterval(p99s(a, editors), p99s(b, editors));
    return `90 % ${cell(lo, 2)}–${cell(hi, 2)}`;
  };
  const rows: (string | number)[][] = [];
  for (const editors of EDITOR_CURVE) {
    for (const key of KEYS) {
      const runs = raw[key][editors];
      rows.push([
        `${DOCS}×${editors}`,
        labelOf(key),
        cell(med(key, editors, 'p50'), 2),
        cell(med(key, editors, 'p99'), 2),
        cell(med(key, editors, 'appliedP99'), 2),
        cell(med(key, editors, 'serverCpuPercent')),
        cell(med(key, editors, 'serverCpuMsPerKEdits')),
        cell(med(key, editors, 'sendLagP99'), 2),
        runs.filter((r) => r.saturated).length,
        runs.reduce((s, r) => s + r.missing, 0),
        cell(median(runs.map((r) => r.load)), 2),
        key === 'godo'
          ? '—'
          : `${cell(med('godo', editors, 'p99') / med(key, editors, 'p99'), 2)} (${interval('godo', key, editors)}) / ${cell(med('godo', editors, 'serverCpuMsPerKEdits') / med(key, editors, 'serverCpuMsPerKEdits'), 2)}`,
        key === 'godo' ? '—' : roundsAhead(raw.godo?.[editors], runs),
      ]);
    }
  }
  // The calibration relay is not a peer: it does none of a collaboration server's work.
  const peers = KEYS.filter((k) => kindOf(k) !== 'godo' && k !== 'null' && !k.includes(':'));
  const pairs = KEYS.filter((k) => k.includes(':') && KEYS.includes(kindOf(k)));
  const both = (key: string, editors: number) => `${cell(med(key, editors, 'p50'), 2)} / ${cell(med(key, editors, 'p99'), 2)} ms, ${cell(med(key, editors, 'serverCpuMsPerKEdits'), 0)} CPU ms/1k edits`;
  const ratio = (editors: number, key: string, measure: 'p50' | 'p99' | 'serverCpuMsPerKEdits') => med('godo', editors, measure) / med(key, editors, measure);
  /**
   * Against the best peer: Godo's median p99 must not exceed the lowest peer median (the largest
   * ratio), as the issue asks. When that ratio's interval contains 1.0 the verdict says so: the
   * rounds do not resolve the difference either way, and another run may land on the other side.
   */
  const verdictOf = (editors: number, p99Ratios: number[]): string => {
    if (p99Ratios.length === 0 || Number.isNaN(med('godo', editors, 'p99'))) return '— (saturated)';
    const worst = Math.max(...p99Ratios);
    const best = peers.find((k) => ratio(editors, k, 'p99') === worst)!;
    const [lo, hi] = pairedRatioInterval(p99s('godo', editors), p99s(best, editors));
    const verdict = worst <= 1 ? 'met' : 'MISSED';
    return lo <= 1 && hi >= 1 ? `${verdict}, not resolved (90 % ${cell(lo, 2)}–${cell(hi, 2)} contains 1.0)` : verdict;
  };
  const summary: SummaryRow[] = EDITOR_CURVE.map((editors) => {
    const p99Ratios = peers.map((k) => ratio(editors, k, 'p99')).filter((r) => !Number.isNaN(r));
    return {
      measure: `edit fan-out ${DOCS}×${editors} editors, 5 edits/s: p50 / p99 latency, server CPU per 1k edits (median of ${RUNS} rounds)`,
      target: 'p99 ratio ≤ 1.0 vs the best peer',
      godo: both('godo', editors),
      peers: peers.map((k) => `${labelOf(k)}: ${both(k, editors)}`).join('<br>'),
      ratios: [
        ...peers.map((k) => `${labelOf(k)}: p50 ${cell(ratio(editors, k, 'p50'), 2)}, p99 ${cell(ratio(editors, k, 'p99'), 2)} (${interval('godo', k, editors)}; Godo ahead in ${roundsAhead(raw.godo?.[editors], raw[k]?.[editors])} rounds), CPU ${cell(ratio(editors, k, 'serverCpuMsPerKEdits'), 2)}`),
        ...pairs.map((k) => `A/A ${labelOf(kindOf(k))} / its second instance: p99 ${cell(med(kindOf(k), editors, 'p99') / med(k, editors, 'p99'), 2)} (${interval(kindOf(k), k, editors)})`),
      ].join('<br>'),
      verdict: verdictOf(editors, p99Ratios),
      load: cell(median(KEYS.flatMap((k) => raw[k][editors].map((r) => r.load))), 2),
      command: `npm run bench -- fanout`,
    };
  });
  writeResults(
    'fanout',
    {
      title: `Edit fan-out: ${DOCS} documents, editors typing ${EDITS_PER_SECOND} edits/s each (automerge-paper slices), median of ${RUNS} rounds (every server once per round, order rotated) of ${EDITOR_CURVE.map((e) => `${secondsFor(e)} s (${DOCS}×${e})`).join(', ')}, each timed after ${WARMUP_SECONDS} s of untimed typing`,
      columns: ['docs×editors', 'server', 'p50 ms', 'p99 ms', 'p99 ms until applied', 'server CPU % of a core', 'server CPU ms / 1k edits', 'send lag p99 ms', 'saturated runs', 'edits not delivered', 'load avg (1 min)', 'Godo/peer (p99 / CPU per edit)', 'rounds with Godo p99 ≤ peer'],
      rows,
      notes: [
        'Latency: from the sending client\'s transaction to the edit\'s arrival at every other client of the document (its websocket message event). One load-generator process holds all clients and the server runs in its own child process; each client notes a message\'s arrival and applies it later, in arrival order, at most 1 ms of such work per check phase before the sockets are polled again, so an arrival does not wait for other simulated clients to apply earlier edits (60–140 µs each). The generator runs with a 64 MB young generation (`--max-semi-space-size=64`): a scavenge every 0.35 s (1.5–2.6 ms) stamped the deliveries behind it late. "Until applied" measures to the recipient\'s transaction, including that load-generator work.',
        `A run whose send lag p99 exceeds ${MAX_SEND_LAG_P99_MS} ms is saturated (the load generator, not the server, is late): its latencies are not reported.`,
        'Godo: session-cookie auth and policies on every connection, persistence to the embedded database on disk. Peers: no auth, in memory (no persistence extension).',
        'Ratio intervals: 90 % paired bootstrap over the rounds (rounds drawn with replacement, Godo and the peer of the same round kept together). A second instance of a server (FANOUT_SERVERS=godo,godo:b,yws,yws:b) gives the A/A ratio: what the bench reports between identical servers.',
        'Rounds: every server runs once per round on the same trace slices, the order rotated per round; the medians compare servers, the last column counts the rounds Godo won head to head.',
        `Warm-up: every run types ${WARMUP_SECONDS} s at the same rate before its timed window (server CPU counts from there too): V8 goes on optimizing a fresh server's hot paths for seconds after the first edits.`,
        'Regenerate: npm run bench -- fanout (env FANOUT_SECONDS, FANOUT_WARMUP_SECONDS, FANOUT_RUNS, FANOUT_EDITORS, FANOUT_SERVERS (add `null` for the bare-relay calibration line), FANOUT_CPU_PROF=<dir>, BENCH_CHILD_ARGS="<node flags>", BENCH_PIN=1).',
      ],
    },
    raw,
    summary,
  );
}
