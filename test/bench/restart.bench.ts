import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { load1, progress, writeResults } from './report.js';
import { connectBenchClient, type BenchClient } from './support/clients.js';
import { startServer } from './support/servers.js';
import { cell, percentile } from './support/stats.js';

const DOCS = Number(process.env.RESTART_DOCS ?? 10);
const PER_DOC = Number(process.env.RESTART_PER_DOC ?? 30);
/** RESTART_JITTER=false measures y-websocket's own un-jittered backoff, for comparison. */
const JITTER = process.env.RESTART_JITTER !== 'false';
const MAX_BACKOFF_MS = Number(process.env.RESTART_MAX_BACKOFF_MS ?? 1_000);

/**
 * Restart storm: DOCS × PER_DOC (300) y-websocket clients connected to Godo (child process, auth and
 * persistence on, database on disk), each having written a line; the server is stopped (SIGTERM,
 * graceful) and started again on the same port and data. Times from the stop to every client synced
 * again, and from the new server being ready to that.
 */
export async function run(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'godo-bench-restart-'));
  let server = await startServer('godo', { DOCS: String(DOCS), EDITORS: String(PER_DOC), GODO_DATA_DIR: dataDir });
  const port = String(server.port);
  const clients: BenchClient[] = [];
  try {
    for (const docName of server.docNames) {
      for (let e = 0; e < PER_DOC; e++) clients.push(connectBenchClient('godo', server.wsUrl, docName, server.cookies[e], { jitter: JITTER, maxBackoffTime: JITTER ? MAX_BACKOFF_MS : 2_500 }));
    }
    await Promise.all(clients.map((c) => c.synced));
    for (const [i, client] of clients.entries()) client.doc.getText('bench').insert(0, `client ${i}\n`);
    progress(`restart: ${clients.length} clients synced; restarting`);
    const resynced: number[] = [];
    let stoppedAt = 0;
    let disconnected = 0;
    const all = new Promise<void>((resolve) => {
      for (const client of clients) {
        let counted = false;
        client.onSync(() => {
          if (stoppedAt === 0 || counted) return;
          counted = true;
          resynced.push(performance.now());
          if (resynced.length === clients.length) resolve();
        });
      }
    });
    stoppedAt = performance.now();
    await server.stop();
    disconnected = clients.filter((c) => !c.isSynced()).length;
    const stopMs = performance.now() - stoppedAt;
    server = await startServer('godo', { GODO_DATA_DIR: dataDir, PORT: port });
    const readyAt = performance.now();
    await all;
    const done = performance.now();
    const fromReady = resynced.map((t) => t - readyAt);
    const backoff = JITTER ? `full jitter, cap ${MAX_BACKOFF_MS} ms` : 'y-websocket (no jitter), cap 2500 ms';
    const load = load1();
    const raw = { clients: clients.length, jitter: JITTER, maxBackoffMs: MAX_BACKOFF_MS, load, stopMs, startMs: readyAt - stoppedAt - stopMs, totalMs: done - stoppedAt, fromReady, disconnected };
    writeResults(
      'restart',
      {
        title: `Restart storm: ${clients.length} y-websocket clients, Godo stopped and started again`,
        columns: ['clients', 'reconnect backoff', 'graceful stop ms', 'start ms', 'stop → all re-synced ms', 'ready → all re-synced ms', 'ready → p50 re-synced ms', 'load avg (1 min)'],
        rows: [[clients.length, backoff, cell(stopMs), cell(readyAt - stoppedAt - stopMs), cell(done - stoppedAt), cell(done - readyAt), cell(percentile(fromReady, 50)), load]],
        notes: [
          'Clients reconnect with exponential backoff from 100 ms with full jitter (a random wait up to the doubled delay, capped; the bench client takes over y-websocket 3.1\'s reconnect, which has no jitter and came back in waves). RESTART_JITTER=false measures y-websocket\'s own backoff (cap 2.5 s).',
          'Start ms is the new server process starting (tsx compiling TypeScript, opening the database): not part of re-syncing.',
          'Regenerate: npm run bench -- restart (env RESTART_DOCS, RESTART_PER_DOC, RESTART_JITTER, RESTART_MAX_BACKOFF_MS).',
        ],
      },
      raw,
      [
        {
          measure: `restart storm, ${clients.length} clients: server ready → all re-synced ms (p50)`,
          target: '— (reported; jittered backoff)',
          godo: `${cell(done - readyAt)} (${cell(percentile(fromReady, 50))})`,
          peers: '—',
          ratios: '—',
          verdict: '—',
          load,
          command: 'npm run bench -- restart',
        },
      ],
    );
  } finally {
    for (const client of clients) client.destroy();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
