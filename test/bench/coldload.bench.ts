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
  // Per size: RUNS copies opened once each from their stored tail, one more copy for the timed
  // compaction; then two warm-up documents.
  const perSize = RUNS + 1;
  const server = await startServer('godo', { DOCS: String(SIZES.length * perSize + 2), EDITORS: '1', GODO_DATA_DIR: dataDir }, profile);
  const rows: (string | number)[][] = [];
  const raw: Record<number, unknown> = {};
  const summary: SummaryRow[] = [];
  try {
    // Warm the server's code paths (auth, load, apply, sync, compaction) as a running server has
    // them: an empty document, then a stored 600-update tail. "Cold" is the document, not the JIT.
    const warmUp = server.docNames.slice(SIZES.length * perSize);
    await firstSync(server, warmUp[0], 0);
    const warm = await server.request<{ chars: number }>({ type: 'storeTrace', docName: warmUp[1], count: 600 });
    await firstSync(server, warmUp[1], warm.chars);
    await firstSync(server, warmUp[1], warm.chars);
    for (const [i, size] of SIZES.entries()) {
      const copies = server.docNames.slice(i * perSize, i * perSize + RUNS);
      const copy = server.docNames[i * perSize + RUNS];
      const docName = copies[0];
      progress(`coldload: storing ${size} updates ${perSize} times`);
      let stored = { chars: 0, bytes: 0 };
      for (const name of [...copies, copy]) stored = await server.request<{ chars: number; bytes: number }>({ type: 'storeTrace', docName: name, count: size });
      const { chars, bytes } = stored;
      progress(`coldload: ${size} updates (${chars} characters, ${bytes} bytes)`);
      // The first open of each copy reads its whole tail (Godo compacts it right after).
      const fromUpdatesRuns: number[] = [];
      for (const name of copies) fromUpdatesRuns.push(await firstSync(server, name, chars));
      const fromUpdates = median(fromUpdatesRuns);
      const compaction = await server.request<{ loadMs: number; applyMs: number; compactMs: number }>({ type: 'compact', docName: copy });
      const fromSnapshot: number[] = [];
      for (let r = 0; r < RUNS; r++) fromSnapshot.push(await firstSync(server, docName, chars));
      const load = load1();
      raw[size] = { chars, bytes, fromUpdates, fromUpdatesRuns, compaction, fromSnapshot, load };
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
      columns: ['stored updates', 'characters', `first sync from updates ms (median of ${RUNS} copies)`, `first sync from snapshot ms (median of ${RUNS})`, 'compaction ms', 'compaction read / apply+encode / write ms', 'target (tail / compacted)', 'load avg (1 min)'],
      rows,
      notes: [
        'Updates are the automerge-paper trace\'s first edits, one update per edit, stored through mongoPersistence in batches of 100 (as the save queue stores a save\'s batch: merged into one stored update).',
        `First sync from updates is the first open of each of ${RUNS} stored copies (median); Godo then compacts (after 500 stored updates), so later opens read a snapshot.`,
        'Before measuring, the server opens an empty document and a stored 600-update tail (twice): its code is warm, as on a server that has been running; the documents measured are cold (never opened since they were stored).',
        'Regenerate: npm run bench -- coldload (env COLDLOAD_SIZES, COLDLOAD_RUNS).',
      ],
    },
    raw,
    summary,
  );
}
