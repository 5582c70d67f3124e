import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLedger, type LedgerCheck } from '../../load/ledger.js';
import { runPanelDay, type PanelDayResult } from '../../load/scenario.js';

/**
 * The panel-day load test's own scenario, small and event-bounded: one panel of 8 people on a real
 * Godo process (embedded database on disk), two agenda items, each done once its editors typed 40
 * edits and 4 comments were posted; think times are zero, so the amount of work, not a duration,
 * bounds the run. Then the acknowledged-write check must pass, and must fail once an acknowledged
 * comment is deleted from the database behind its back.
 */
describe('panel day (load test scenario)', () => {
  let logDir: string;
  let result: PanelDayResult;
  let afterDeletion: LedgerCheck;
  let deletedId: string;

  beforeAll(async () => {
    logDir = await mkdtemp(path.join(tmpdir(), 'godo-load-logs-'));
    result = await runPanelDay(
      {
        panels: 1,
        people: 8,
        proposals: 3,
        processes: 1,
        plan: { items: 2, itemMs: 10_000, morningMs: 0, editsPerEditor: 40, commentsPerItem: 4 },
        pace: 0,
        logDir,
      },
      async (models, ledger) => {
        deletedId = [...ledger.comments.keys()][0];
        await models.Comment.deleteOne({ _id: new Types.ObjectId(deletedId) });
        afterDeletion = await checkLedger(models, ledger);
      },
    );
  }, 180_000);

  afterAll(async () => {
    if (logDir) await rm(logDir, { recursive: true, force: true });
  });

  it('runs every kind of operation of the day without an error', () => {
    expect(result.errors).toEqual([]);
    const kinds = new Map(result.kinds.map((k) => [k.kind, k.count]));
    for (const kind of ['rest:review.save', 'rest:review.submit', 'rest:call.phase', 'rest:comment.create', 'rest:reconciliation.read', 'socket:meeting:setCurrent', 'socket:meeting:vote', 'socket:meeting:recordDecision', 'yjs:edit', 'yjs:converge', 'comment:delivered'])
      expect(kinds.get(kind) ?? 0, kind).toBeGreaterThan(0);
    expect(result.exitCodes).toEqual({ godo: 0 });
  });

  it('finds every acknowledged write in the database after a graceful shutdown', () => {
    expect(result.check.missing).toEqual([]);
    expect(result.check.checked.comments).toBeGreaterThanOrEqual(8);
    expect(result.check.checked.reviews).toBeGreaterThan(0);
    expect(result.check.checked.decisions).toBe(2);
    expect(result.check.checked.reports).toBe(2);
    expect(result.passed).toBe(true);
  });

  it('reports an acknowledged comment that is missing from the database', () => {
    expect(afterDeletion.missing).toEqual([expect.stringContaining(`comment ${deletedId}`)]);
  });
});
