import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { load1, progress, writeResults, type SummaryRow } from './report.js';
import { connectBenchClient } from './support/clients.js';
import { startServer } from './support/servers.js';
import { cell, median } from './support/stats.js';

const SIZES = (process.env.COLDLOAD_SIZES ?? '400,10000,259778').split(',').map(Number);
const RUNS = Number(process.env.COLDLOAD_RUNS ?? 3);
const TARGET_MS: Record<number, number> = { 10_000: 100, 259_778: 1_000 };

/** Connects one client and times its first full sync; checks the text it got. */
async function firstSync(server: Awaited<ReturnType<typeof startServer>>, docName: string, chars: number): Promise<number> {
  const started = performance.now();
  const client = connectBenchClient('godo', server.wsUrl, docName, server.cookies[0]);
  await client.synced;
  const ms = performance.now() - started;
  const got = client.doc.getText('bench').length;
  client.destroy();
  if (got !== chars) throw new Error(`${docName}: synced ${got} characters, stored ${chars}`);
  await server.request({ type: 'unloaded', docName });
  return ms;
}

/**
 * Cold load: a report stored as 400, 10k and 260k updates (the automerge-paper trace's first edits,
 * written through mongoPersistence in batches of 100) is opened by one client of Godo (auth on,
 * embedded database on disk); time from connecting to the first full sync. Godo compacts such a
 * document after loading it, so the next cold load reads a snapshot; both are reported, and the
 * compaction itself is timed on a second copy (read, apply, encode, write snapshot, drop updates).
 */
export async function run(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'godo-bench-coldload-'));
  const profile = process.env.COLDLOAD_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.COLDLOAD_CPU_PROF}`] : [];
  const server = await startServer('godo', { DOCS: String(SIZES.length * 2 + 1), EDITORS: '1', GODO_DATA_DIR: dataDir }, profile);
  const rows: (string | number)[][] = [];
  const raw: Record<number, unknown> = {};
  const summary: SummaryRow[] = [];
  try {
    // Warm the server's code paths (auth, load, sync) on an empty document.
    await firstSync(server, server.docNames[SIZES.length * 2], 0);
    for (const [i, size] of SIZES.entries()) {
      const docName = server.docNames[i * 2];
      const copy = server.docNames[i * 2 + 1];
      progress(`coldload: storing ${size} updates`);
      const { chars, bytes } = await server.request<{ chars: number; bytes: number }>({ type: 'storeTrace', docName, count: size });
      await server.request({ type: 'storeTrace', docName: copy, count: size });
      progress(`coldload: ${size} updates (${chars} characters, ${bytes} bytes)`);
      const fromUpdates = await firstSync(server, docName, chars);
      const compaction = await server.request<{ loadMs: number; applyMs: number; compactMs: number }>({ type: 'compact', docName: copy });
      const fromSnapshot: number[] = [];
      for (let r = 0; r < RUNS; r++) fromSnapshot.push(await firstSync(server, docName, chars));
      const load = load1();
      raw[size] = { chars, bytes, fromUpdates, compaction, fromSnapshot, load };
      const target = TARGET_MS[size];
      const verdict = (ms: number) => (ms < target ? 'met' : 'MISSED');
      if (target) {
        summary.push({
          measure: `cold load, ${size.toLocaleString('en')}-update report: first full sync ms (stored tail / compacted)`,
          target: `< ${target} ms`,
          godo: `${cell(fromUpdates)} / ${cell(median(fromSnapshot))}`,
          peers: '—',
          ratios: '—',
          verdict: `${verdict(fromUpdates)} / ${verdict(median(fromSnapshot))}`,
          load,
          command: 'npm run bench -- coldload',
        });
      }
      rows.push([
        size.toLocaleString('en'),
        chars.toLocaleString('en'),
        cell(fromUpdates),
        cell(median(fromSnapshot)),
        cell(compaction.loadMs + compaction.applyMs + compaction.compactMs),
        `${cell(compaction.loadMs)} / ${cell(compaction.applyMs)} / ${cell(compaction.compactMs)}`,
        target ? `< ${target} ms: ${fromUpdates < target ? 'met' : 'MISSED'} / ${median(fromSnapshot) < target ? 'met' : 'MISSED'}` : '—',
        load,
      ]);
      summary.push({
        measure: `compaction of a ${size.toLocaleString('en')}-update tail ms (read / apply+encode / write)`,
        target: '— (reported)',
        godo: `${cell(compaction.loadMs + compaction.applyMs + compaction.compactMs)} (${cell(compaction.loadMs)} / ${cell(compaction.applyMs)} / ${cell(compaction.compactMs)})`,
        peers: '—',
        ratios: '—',
        verdict: '—',
        load,
        command: 'npm run bench -- coldload',
      });
    }
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  writeResults(
    'coldload',
    {
      title: 'Cold load of a consensus report: time to first full sync (Godo, auth on, embedded database on disk)',
      columns: ['stored updates', 'characters', 'first sync from updates ms', `first sync from snapshot ms (median of ${RUNS})`, 'compaction ms', 'compaction read / apply+encode / write ms', 'target (tail / compacted)', 'load avg (1 min)'],
      rows,
      notes: [
        'Updates are the automerge-paper trace\'s first edits, one update per edit, stored through mongoPersistence in batches of 100 (as the save queue stores a save\'s batch: merged into one stored update).',
        'First sync from updates is the first open after they were stored; Godo then compacts (after 500 stored updates), so later opens read a snapshot.',
        'Regenerate: npm run bench -- coldload (env COLDLOAD_SIZES, COLDLOAD_RUNS).',
      ],
    },
    raw,
    summary,
  );
}
