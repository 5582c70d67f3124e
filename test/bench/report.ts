import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const RESULTS_DIR = process.env.BENCH_RESULTS_DIR ?? path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');

export interface BenchTable {
  title: string;
  columns: string[];
  rows: (string | number)[][];
  notes?: string[];
}

/** Writes `<name>.json` (machine-readable) and `<name>.md` (a Markdown table) and prints the table. */
export function writeResults(name: string, table: BenchTable, raw: unknown): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const md = [
    `# ${table.title}`,
    '',
    `| ${table.columns.join(' | ')} |`,
    `|${table.columns.map(() => '---').join('|')}|`,
    ...table.rows.map((row) => `| ${row.join(' | ')} |`),
    '',
    ...(table.notes ?? []).map((n) => `- ${n}`),
    '',
    `Generated ${new Date().toISOString()} on node ${process.version}, ${process.platform}/${process.arch}.`,
    '',
  ].join('\n');
  writeFileSync(path.join(RESULTS_DIR, `${name}.md`), md);
  writeFileSync(path.join(RESULTS_DIR, `${name}.json`), JSON.stringify({ table, raw }, null, 2));
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
  process.stderr.write(`[bench] ${message}\n`);
}
