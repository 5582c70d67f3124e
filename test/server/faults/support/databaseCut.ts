import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { onAccessChange, type AccessChange } from '../../../../server/commands/access/accessChanges.js';
import { loadConfig } from '../../../../server/config.js';
import { startGodo, type RunningGodo } from '../../../../server/index.js';
import type { Peer } from '../../realtime/peer.js';
import { capturedLogs, type CapturedLogs } from './capturedLogs.js';
import { healthUntil, startDbProcess, type DbProcess } from './faults.js';
import { faultEnv } from './godoProcess.js';

/** recordAudit's log lines for an entry the database could not take, and for its later write. */
export const AUDIT_HELD = 'audit: the change is stored but its audit entry could not be written; holding it until the database is back';
export const AUDIT_WRITTEN = 'audit: entry held during the database outage written';

/** A Godo in the test process over a database in its own process, cut inside a chosen announcement. */
export interface DatabaseCut {
  readonly godo: RunningGodo;
  readonly logs: CapturedLogs;
  /** Sockets a test opened: closed after the file. */
  readonly peers: Peer[];
  /** Arms the cut: the database is SIGKILLed inside the announcement of the first change matching. */
  cutOn(match: (change: AccessChange) => boolean): void;
  /** True while armed and not yet cut (a test asserts false after its change). */
  readonly armed: boolean;
  /** performance.now() of the cut. */
  readonly cutAt: number;
  /** The database's URI (for a second Godo over the same database). */
  readonly dbUri: string;
  /** Brings the database back on the same port and data, and waits until Godo reports itself healthy. */
  restoreDatabase(): Promise<void>;
}

/**
 * Registers the file's hooks. The listener subscribes before Godo starts, so it runs before Godo's
 * own listeners (called in the order they subscribed): the change's write has committed (it is
 * announced after it), and the signal is sent synchronously inside `kill`, so every later database
 * operation (the re-checks' reads, the audit insert) finds the database gone. Deterministic, with
 * no timing guess. A test that failed mid-outage leaves the database down: it is brought back after
 * each test, so the next one stands alone. `logLevel` 'info' keeps the held-entry-written lines.
 */
export function databaseCutOnAnnouncement(dbName: string, logLevel: 'warn' | 'info'): DatabaseCut {
  let dbp: DbProcess;
  let godo: RunningGodo;
  let logs: CapturedLogs;
  let stopListening: (() => void) | undefined;
  let match: ((change: AccessChange) => boolean) | null = null;
  let cut: Promise<void> | null = null;
  let cutAt = 0;
  const peers: Peer[] = [];

  const restoreDatabase = async () => {
    expect(cut, 'the database was cut').not.toBeNull();
    await cut;
    cut = null;
    await dbp.restart();
    await healthUntil(godo.url, (a) => a.status === 200, 'healthy again', 60_000);
  };

  beforeAll(async () => {
    dbp = await startDbProcess(dbName);
    stopListening = onAccessChange((change) => {
      if (!match?.(change)) return;
      match = null;
      cutAt = performance.now();
      cut = dbp.kill('SIGKILL');
    });
    logs = capturedLogs(logLevel);
    godo = await startGodo(loadConfig(faultEnv(dbp.uri)), { logger: logs.logger });
  }, 90_000);
  afterAll(async () => {
    stopListening?.();
    for (const peer of peers) peer.close();
    await godo?.close();
    await dbp?.stop();
  });
  afterEach(async () => {
    match = null;
    if (cut) await restoreDatabase();
  }, 90_000);

  return {
    get godo() {
      return godo;
    },
    get logs() {
      return logs;
    },
    peers,
    cutOn(next) {
      match = next;
    },
    get armed() {
      return match !== null;
    },
    get cutAt() {
      return cutAt;
    },
    get dbUri() {
      return dbp.uri;
    },
    restoreDatabase,
  };
}
