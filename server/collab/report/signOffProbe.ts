import { Types } from 'mongoose';
import type { Models } from '../../models/index.js';
import { perTurn } from '../perTurn.js';

/**
 * Answers "does this proposal's decision have a sign-off that is not voided?" for the report
 * re-checks, one database read for every question asked in the same turn. Re-checks of reports
 * typed in at the same time fall due together (their timers share a grid: signOffLink.ts), so with
 * many reports open the reads per second stay near the grid's rate instead of one per report.
 * Only a yes leads to the full re-check (`contentChanged`), which reads the decision again itself.
 *
 * A no is remembered for `rememberNoneMs`: most reports are typed in long before anyone signs, and
 * at a few reads a second this read cost as much CPU as the saves (each operation runs the driver
 * and the database at cold-code speed). The only way to a pending sign-off is a sign-off, and its
 * command announces an access change naming the proposal in every process (accessRelay.ts), on
 * which the caller calls `forget`. The time limit bounds what a lost cross-process announcement
 * (Redis away) can cost: edits that void the sign-off a little later, never a sign-off counted valid
 * for changed text (its validity is its content hash, compared at every read).
 */
export interface SignOffProbe {
  hasPendingSignOffs(proposalId: string): Promise<boolean>;
  /** Forgets the remembered answers: one proposal's, or all of them. */
  forget(proposalId?: string): void;
}

interface Question {
  proposalId: string;
  resolve(pending: boolean): void;
  reject(error: unknown): void;
}

export interface SignOffProbeOptions {
  /** How long a "no pending sign-off" stays trusted without an announcement. 0 remembers nothing. */
  rememberNoneMs?: number;
  now?: () => number;
}

export function signOffProbe(models: Pick<Models, 'Decision'>, options: SignOffProbeOptions = {}): SignOffProbe {
  const rememberNoneMs = options.rememberNoneMs ?? 0;
  const now = options.now ?? Date.now;
  /** Proposals known to have no pending sign-off, until when. */
  const none = new Map<string, number>();
  /** Bumped by every `forget`: an answer read across a forget is not remembered. */
  let epoch = 0;
  const answer = async (questions: Question[]): Promise<void> => {
    const askedIn = epoch;
    try {
      const ids = [...new Set(questions.map((q) => q.proposalId))].map((id) => new Types.ObjectId(id));
      // Through the driver: the rows are only read for their proposalId (no casting, no hydration).
      const decisions = await models.Decision.collection
        .find({ proposalId: ids.length === 1 ? ids[0] : { $in: ids }, signOffs: { $elemMatch: { voidedAt: null } } }, { projection: { proposalId: 1 } })
        .toArray();
      const pending = new Set(decisions.map((decision) => String(decision.proposalId)));
      const until = now() + rememberNoneMs;
      for (const question of questions) {
        const yes = pending.has(question.proposalId);
        if (!yes && rememberNoneMs > 0 && askedIn === epoch) none.set(question.proposalId, until);
        question.resolve(yes);
      }
    } catch (error) {
      for (const question of questions) question.reject(error);
    }
  };
  const ask = perTurn<Question>((questions) => void answer(questions));
  return {
    hasPendingSignOffs(proposalId) {
      const until = none.get(proposalId);
      if (until !== undefined) {
        if (until > now()) return Promise.resolve(false);
        none.delete(proposalId);
      }
      return new Promise<boolean>((resolve, reject) => ask({ proposalId, resolve, reject }));
    },
    forget(proposalId) {
      epoch += 1;
      if (proposalId === undefined) none.clear();
      else none.delete(proposalId);
    },
  };
}
