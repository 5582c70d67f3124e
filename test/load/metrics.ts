import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { percentile } from '../bench/support/stats.js';

/** One failed or unexpected operation, kept verbatim for the report. */
export interface LoadError {
  kind: string;
  at: number;
  status?: number;
  message: string;
}

/** Figures of one kind of operation over the whole run. */
export interface KindSummary {
  kind: string;
  count: number;
  errors: number;
  p50: number;
  p99: number;
  max: number;
}

/** The first errors are kept whole; after that only counted, so a broken run cannot eat the generator's memory. */
const KEPT_ERRORS = 200;

/**
 * Counts, latencies and errors per operation kind (`rest:comment.create`, `socket:meeting:vote`,
 * `yjs:edit→peer`, ...), plus the load generator's own event-loop lag and CPU: a generator that
 * lags reports latencies that are partly its own, so the report shows its lag next to them.
 */
export class LoadMetrics {
  readonly startedAt = performance.now();
  readonly errors: LoadError[] = [];
  private readonly kinds = new Map<string, { count: number; errors: number; samples: number[] }>();
  private errorCount = 0;
  private readonly lag: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  private readonly cpuStart = process.cpuUsage();

  constructor() {
    this.lag.enable();
  }

  private entry(kind: string) {
    let entry = this.kinds.get(kind);
    if (!entry) this.kinds.set(kind, (entry = { count: 0, errors: 0, samples: [] }));
    return entry;
  }

  /** Records one successful operation and how long it took (ms; omitted for operations without a latency of their own). */
  ok(kind: string, ms?: number): void {
    const entry = this.entry(kind);
    entry.count++;
    if (ms !== undefined) entry.samples.push(ms);
  }

  /** Records a latency that is not an operation of its own (delivery of an event to a peer). */
  sample(kind: string, ms: number): void {
    this.ok(kind, ms);
  }

  /** Records a failure; every failure makes the run fail. */
  fail(kind: string, message: string, status?: number): void {
    const entry = this.entry(kind);
    entry.count++;
    entry.errors++;
    this.errorCount++;
    if (this.errors.length < KEPT_ERRORS) this.errors.push({ kind, at: this.elapsedMs(), status, message: message.slice(0, 500) });
  }

  get totalErrors(): number {
    return this.errorCount;
  }

  /** 5xx answers and socket acknowledgements with an `internal` code. */
  get serverErrors(): number {
    return this.errors.filter((e) => (e.status ?? 0) >= 500 || e.message.includes('"internal"')).length;
  }

  elapsedMs(): number {
    return performance.now() - this.startedAt;
  }

  summaries(): KindSummary[] {
    return [...this.kinds]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([kind, { count, errors, samples }]) => ({
        kind,
        count,
        errors,
        p50: percentile(samples, 50),
        p99: percentile(samples, 99),
        max: samples.length ? samples.reduce((m, v) => Math.max(m, v), 0) : Number.NaN,
      }));
  }

  /** The generator's event-loop delay (ms) and its CPU use as % of one core since the start. */
  generator(): { lagP50: number; lagP99: number; lagMax: number; cpuPercent: number } {
    const cpu = process.cpuUsage(this.cpuStart);
    return {
      lagP50: this.lag.percentile(50) / 1e6,
      lagP99: this.lag.percentile(99) / 1e6,
      lagMax: this.lag.max / 1e6,
      cpuPercent: ((cpu.user + cpu.system) / 1000 / this.elapsedMs()) * 100,
    };
  }

  stop(): void {
    this.lag.disable();
  }
}

/** Times `operation` under `kind`: its latency when it succeeds, a failure (rethrown) when it throws. */
export async function timed<T>(metrics: LoadMetrics, kind: string, operation: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    const result = await operation();
    metrics.ok(kind, performance.now() - start);
    return result;
  } catch (error) {
    metrics.fail(kind, error instanceof Error ? error.message : String(error));
    throw error;
  }
}
