import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import type { Models } from '../../server/models/index.js';
import { startDeployment } from './deployment.js';
import { loadTraces } from './editors.js';
import { AckLedger, checkLedger, type LedgerCheck } from './ledger.js';
import { LoadMetrics, type KindSummary } from './metrics.js';
import { Panel, type PanelPlan } from './panel.js';
import { Day } from './people.js';
import { openDatabase, seedPanels } from './seed.js';

/** A panel day to simulate: how many panels and people, on how many Godo processes, for how long or how much. */
export interface PanelDayOptions {
  panels: number;
  people: number;
  proposals: number;
  processes: 1 | 2;
  /** Time-bounded: the day ends after this long (ms). Leave unset for an event-bounded day. */
  durationMs?: number;
  plan: PanelPlan;
  /** Think-time multiplier: 1 human speed, 0 back-to-back (event-bounded runs). */
  pace: number;
  /** Where the servers' logs go (the data directory is a fresh temp dir, removed afterwards). */
  logDir: string;
  /** Called every `progressMs` while the day runs. */
  onProgress?: (progress: Progress) => void;
  progressMs?: number;
  seed?: number;
}

/** One progress sample: the server processes' memory and CPU, the generator's lag, the machine's load. */
export interface Progress {
  elapsedMs: number;
  serverRss: number;
  serverCpuPercent: number;
  perProcess: { name: string; rss: number; cpuPercent: number }[];
  loadAverage: number[];
  metrics: LoadMetrics;
}

/** Everything a run measured and found. */
export interface PanelDayResult {
  options: Omit<PanelDayOptions, 'onProgress'>;
  startedAt: string;
  durationMs: number;
  kinds: KindSummary[];
  errors: LoadMetrics['errors'];
  totalErrors: number;
  serverErrors: number;
  generator: ReturnType<LoadMetrics['generator']>;
  server: { peakRss: number; meanCpuPercent: number; peakCpuPercent: number; samples: Omit<Progress, 'metrics'>[] };
  loadAverage: { start: number[]; end: number[]; peak1m: number };
  exitCodes: Record<string, number | string>;
  acknowledged: Record<string, number>;
  check: LedgerCheck;
  passed: boolean;
}

/**
 * Runs a whole panel day against real Godo processes: seeds the panels into a fresh on-disk
 * database, starts the deployment, connects everyone, runs the morning (late reviews) and the
 * meetings until the day ends (time- or event-bounded), closes every client, stops the servers
 * gracefully, then opens the database directly and checks every acknowledged write.
 * `afterCheck` sees the database (still open) and the ledger, for the smoke test's negative case.
 */
export async function runPanelDay(options: PanelDayOptions, afterCheck?: (models: Models, ledger: AckLedger) => Promise<void>): Promise<PanelDayResult> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'godo-load-'));
  const startedAt = new Date().toISOString();
  const loadStart = loadavg();
  try {
    const seeding = await openDatabase(dataDir);
    const seeds = await seedPanels(seeding.models, options);
    await seeding.close();
    const deployment = await startDeployment({ processes: options.processes, dataDir, logDir: options.logDir });
    const metrics = new LoadMetrics();
    const ledger = new AckLedger();
    const day = new Day(options.pace, options.seed ?? 20_270_401);
    let tokens = 0;
    const ctx = { day, metrics, ledger, traces: loadTraces(), token: () => `L${++tokens}` };
    const panels = seeds.map((seed) => new Panel(seed, deployment.urls, ctx, options.plan));
    const samples: Omit<Progress, 'metrics'>[] = [];
    deployment.sample();
    const progress = setInterval(() => {
      const s = deployment.sample();
      const sample = { elapsedMs: metrics.elapsedMs(), serverRss: s.rss, serverCpuPercent: s.cpuPercent, perProcess: s.perProcess, loadAverage: loadavg() };
      samples.push(sample);
      options.onProgress?.({ ...sample, metrics });
    }, options.progressMs ?? 10_000);
    let exitCodes: Record<string, number | string> = {};
    try {
      await Promise.all(panels.map((panel) => panel.connect()));
      const ending = options.durationMs === undefined ? null : setTimeout(() => day.finish(), options.durationMs);
      await Promise.all(
        panels.map(async (panel) => {
          await panel.morning();
          await panel.meeting();
        }),
      );
      day.finish();
      if (ending) clearTimeout(ending);
    } finally {
      day.finish();
      clearInterval(progress);
      for (const panel of panels) panel.close();
      metrics.stop();
      exitCodes = await deployment.stop();
    }
    for (const [name, code] of Object.entries(exitCodes)) if (code !== 0) metrics.fail('server:exit', `${name} exited with ${code}`);
    const durationMs = metrics.elapsedMs();
    const database = await openDatabase(dataDir);
    let check: LedgerCheck;
    try {
      check = await checkLedger(database.models, ledger);
      await afterCheck?.(database.models, ledger);
    } finally {
      await database.close();
    }
    const loadEnd = loadavg();
    const { onProgress: _ignored, ...kept } = options;
    return {
      options: kept,
      startedAt,
      durationMs,
      kinds: metrics.summaries(),
      errors: metrics.errors,
      totalErrors: metrics.totalErrors,
      serverErrors: metrics.serverErrors,
      generator: metrics.generator(),
      server: {
        peakRss: Math.max(0, ...samples.map((s) => s.serverRss)),
        meanCpuPercent: samples.length ? samples.reduce((sum, s) => sum + s.serverCpuPercent, 0) / samples.length : Number.NaN,
        peakCpuPercent: Math.max(0, ...samples.map((s) => s.serverCpuPercent)),
        samples,
      },
      loadAverage: { start: loadStart, end: loadEnd, peak1m: Math.max(loadStart[0], loadEnd[0], ...samples.map((s) => s.loadAverage[0])) },
      exitCodes,
      acknowledged: ledger.counts(),
      check,
      passed: check.missing.length === 0 && metrics.totalErrors === 0,
    };
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
