import { Types } from 'mongoose';
import type { Models } from '../../models/index.js';

/**
 * Answers "does this proposal's decision have a sign-off that is not voided?" for the report
 * re-checks, one database read for every question asked in the same turn. Re-checks of reports
 * typed in at the same time fall due together (their timers share a grid: signOffLink.ts), so with
 * many reports open the reads per second stay near the grid's rate instead of one per report.
 * Only a yes leads to the full re-check (`contentChanged`), which reads the decision again itself.
 */
export interface SignOffProbe {
  hasPendingSignOffs(proposalId: string): Promise<boolean>;
}

export function signOffProbe(models: Pick<Models, 'Decision'>): SignOffProbe {
  let asked = new Map<string, { resolve(pending: boolean): void; reject(error: unknown): void }[]>();
  let scheduled = false;

  const answer = async (): Promise<void> => {
    scheduled = false;
    const questions = asked;
    asked = new Map();
    try {
      const ids = [...questions.keys()].map((id) => new Types.ObjectId(id));
      const decisions = await models.Decision.find(
        { proposalId: ids.length === 1 ? ids[0] : { $in: ids }, signOffs: { $elemMatch: { voidedAt: null } } },
        { proposalId: 1 },
      ).lean();
      const pending = new Set(decisions.map((decision) => String(decision.proposalId)));
      for (const [id, waiters] of questions) for (const waiter of waiters) waiter.resolve(pending.has(id));
    } catch (error) {
      for (const waiters of questions.values()) for (const waiter of waiters) waiter.reject(error);
    }
  };

  return {
    hasPendingSignOffs(proposalId) {
      return new Promise<boolean>((resolve, reject) => {
        const waiters = asked.get(proposalId) ?? [];
        waiters.push({ resolve, reject });
        asked.set(proposalId, waiters);
        if (scheduled) return;
        scheduled = true;
        setImmediate(() => void answer());
      });
    },
  };
}
