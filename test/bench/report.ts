import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const RESULTS_DIR = process.env.BENCH_RESULTS_DIR ?? path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');

export interface BenchTable {
  title: string;
  columns: string[];
  rows: (string | number)[][];
  notes?: string[];
}

/** One line of SUMMARY.md: a scenario's headline figure against its target and the peers. */
export interface SummaryRow {
  measure: string;
  target: string;
  godo: string;
  /** Peer figures, e.g. `@y/websocket-server 7.4 / Hocuspocus 9.1`; '—' when the scenario has no peer. */
  peers: string;
  /** Godo/peer ratios in the same order; '—' without peers. */
  ratios: string;
  /** 'met', 'MISSED', or '—' when the issue sets no target. */
  verdict: string;
  /** 1-minute load average while this figure was measured (other jobs share the machine). */
  load: string;
  command: string;
}

/** The 1/5/15-minute load averages now, e.g. `3.21 / 2.10 / 1.95` (2 cores: above 2 the machine is oversubscribed). */
export function loadAverage(): string {
  return os.loadavg().map((l) => l.toFixed(2)).join(' / ');
}

/** The 1-minute load average now. */
export function load1(): string {
  return os.loadavg()[0].toFixed(2);
}

let scenarioStartLoad = '';

/** Remembers the load when a scenario starts (run.ts); written next to its results. */
export function beginScenario(): void {
  scenarioStartLoad = loadAverage();
}

/**
 * Writes `<name>.json` (machine-readable: table, summary rows, load averages, raw samples) and
 * `<name>.md` (a Markdown table) and prints the table.
 */
export function writeResults(name: string, table: BenchTable, raw: unknown, summary: SummaryRow[] = []): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const loadAtEnd = loadAverage();
  const md = [
    `# ${table.title}`,
    '',
    `| ${table.columns.join(' | ')} |`,
    `|${table.columns.map(() => '---').join('|')}|`,
    ...table.rows.map((row) => `| ${row.join(' | ')} |`),
    '',
    ...(table.notes ?? []).map((n) => `- ${n}`),
    `- Load average (1 / 5 / 15 min) at the start: ${scenarioStartLoad || 'not recorded'}; at the end: ${loadAtEnd} (2 cores, shared with other jobs).`,
    '',
    `Generated ${new Date().toISOString()} on node ${process.version}, ${process.platform}/${process.arch}, ${os.cpus().length} CPUs.`,
    '',
  ].join('\n');
  writeFileSync(path.join(RESULTS_DIR, `${name}.md`), md);
  const json = { scenario: name, generatedAt: new Date().toISOString(), loadAverage: { start: scenarioStartLoad, end: loadAtEnd }, table, summary, raw };
  writeFileSync(path.join(RESULTS_DIR, `${name}.json`), JSON.stringify(json, null, 2));
  console.log(`\n${md}`);
}

/**
 * Writes SUMMARY.md from every `<scenario>.json` in RESULTS_DIR (so running one scenario refreshes
 * its lines and keeps the others'), with the date each was measured.
 */
export function writeSummary(): void {
  const lines: string[] = [];
  const files = readdirSync(RESULTS_DIR).filter((f) => f.endsWith('.json')).sort();
  for (const file of files) {
    const json = JSON.parse(readFileSync(path.join(RESULTS_DIR, file), 'utf8')) as { scenario?: string; generatedAt?: string; summary?: SummaryRow[] };
    const scenario = json.scenario ?? file.replace(/\.json$/, '');
    for (const row of json.summary ?? []) {
      lines.push(`| ${scenario} | ${row.measure} | ${row.target} | ${row.godo} | ${row.peers} | ${row.ratios} | ${row.verdict} | ${row.load} | ${(json.generatedAt ?? '').slice(0, 16)} | \`${row.command}\` |`);
    }
  }
  const md = [
    '# Benchmark summary: every scenario, its target, Godo, the peers and the ratios',
    '',
    '| scenario | measure | target | Godo | peers | Godo/peer | target met | load avg (1 min) | measured (UTC) | regenerate |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...lines,
    '',
    '- Regenerate everything: `npm run bench` (one scenario: `npm run bench -- <name>`; this table is rebuilt from `test/bench/results/*.json` after every run).',
    '- The machine has 2 cores shared with other jobs: a load average above 2 means the server, the peers and the load generator all waited for CPU; latencies are then pessimistic and noisier. Ratios come from the same run, so they suffer less than absolute figures.',
    '- `—` in a latency cell: the load generator was saturated (its send lag p99 exceeded the limit), so it refused to report a latency.',
    '',
  ].join('\n');
  writeFileSync(path.join(RESULTS_DIR, 'SUMMARY.md'), md);
  console.log(`\n${md}`);
}

/** Runs `fn` `count` times sequentially; returns operations per second. */
export async function opsPerSecond(count: number, fn: (i: number) => Promise<unknown>): Promise<{ opsPerSec: number; meanUs: number }> {
  const started = performance.now();
  for (let i = 0; i < count; i++) await fn(i);
  const ms = performance.now() - started;
  return { opsPerSec: Math.round((count / ms) * 1000), meanUs: Math.round((ms / count) * 1000) };
}

/** Progress on stderr for long runs (users' convention: long work shows progress). */
export function progress(message: string): void {
  process.stderr.write(`[bench] ${message} (load ${load1()})\n`);
}
