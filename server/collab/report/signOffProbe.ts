import { Types } from 'mongoose';
import type { Models } from '../../models/index.js';
import { perTurn } from '../perTurn.js';

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

interface Question {
  proposalId: string;
  resolve(pending: boolean): void;
  reject(error: unknown): void;
}

export function signOffProbe(models: Pick<Models, 'Decision'>): SignOffProbe {
  const answer = async (questions: Question[]): Promise<void> => {
    try {
      const ids = [...new Set(questions.map((q) => q.proposalId))].map((id) => new Types.ObjectId(id));
      const decisions = await models.Decision.find(
        { proposalId: ids.length === 1 ? ids[0] : { $in: ids }, signOffs: { $elemMatch: { voidedAt: null } } },
        { proposalId: 1 },
      ).lean();
      const pending = new Set(decisions.map((decision) => String(decision.proposalId)));
      for (const question of questions) question.resolve(pending.has(question.proposalId));
    } catch (error) {
      for (const question of questions) question.reject(error);
    }
  };
  const ask = perTurn<Question>((questions) => void answer(questions));
  return {
    hasPendingSignOffs: (proposalId) => new Promise<boolean>((resolve, reject) => ask({ proposalId, resolve, reject })),
  };
}
