/**
 * `npm run load -- --minutes 10 [--panels 3] [--people 15] [--processes 1|2] [--proposals 8] [--item-seconds 60]`
 *
 * A realistic panel day against Godo as deployed (real server processes, embedded database on
 * disk): late reviews in the morning, then each panel's meeting with its report co-edited, comments
 * flowing and the heat map read, at human pace. Prints progress every 10 s, writes
 * test-artifacts/load/panel-day.md and .json (LOAD_RESULTS_DIR moves them), and exits 1 when an
 * acknowledged write is missing from the database or any operation failed.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { markdownReport, progressLine } from './report.js';
import { runPanelDay } from './scenario.js';

function positive(name: string, value: string | undefined, fallback: number): number {
  const n = value === undefined ? fallback : Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, not ${value}`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string' },
      panels: { type: 'string' },
      people: { type: 'string' },
      processes: { type: 'string' },
      proposals: { type: 'string' },
      'item-seconds': { type: 'string' },
    },
  });
  const minutes = positive('minutes', values.minutes, 10);
  const processes = positive('processes', values.processes, 1);
  if (processes !== 1 && processes !== 2) throw new Error('--processes must be 1 or 2');
  const durationMs = minutes * 60_000;
  const outDir = path.resolve(process.env.LOAD_RESULTS_DIR ?? 'test-artifacts/load');
  const logDir = path.join(outDir, 'logs');
  await mkdir(logDir, { recursive: true });
  console.log(`panel day: ${minutes} min, logs in ${logDir}`);
  const result = await runPanelDay({
    panels: positive('panels', values.panels, 3),
    people: positive('people', values.people, 15),
    proposals: positive('proposals', values.proposals, 8),
    processes,
    durationMs,
    // The morning's late reviews take a tenth of the day (at most a minute), the rest is the meeting.
    plan: { itemMs: positive('item-seconds', values['item-seconds'], 60) * 1000, morningMs: Math.min(60_000, durationMs / 10) },
    pace: 1,
    logDir,
    onProgress: (p) => console.log(progressLine(p)),
  });
  const markdown = markdownReport(result);
  await writeFile(path.join(outDir, 'panel-day.md'), markdown);
  await writeFile(path.join(outDir, 'panel-day.json'), JSON.stringify(result, null, 2));
  console.log(`\n${markdown}`);
  console.log(`written: ${path.join(outDir, 'panel-day.md')} and .json`);
  process.exit(result.passed ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
