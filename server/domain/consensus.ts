import type { CallCreateInput } from '../../shared/schemas/call';
import type { ConsensusPutInput } from '../../shared/schemas/consensus';
import { throwProblems, type FieldProblem } from './domainError';
import type { ProposalReconciliation } from './reconciliation';
import { meetsThreshold, scoreProblem } from './scales';
import { totalScale, weightedTotal } from './totals';

/** What consensus checks need to know about a call. */
export type ConsensusCall = Pick<CallCreateInput, 'agencies' | 'criteria' | 'overallThreshold'>;
/** A consensus as stored: the request body without the client's version. */
export type Consensus = Omit<ConsensusPutInput, 'version'>;

/**
 * Every problem with a (possibly partial) consensus: criteria the call does not have, scores off
 * the criterion's scale, minority views from agencies that are not `sides` (the proposal's
 * participating agencies, by default all call agencies), and more than one view per side on a criterion.
 */
export function consensusProblems(call: ConsensusCall, consensus: Consensus, sides?: readonly string[]): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const allowedSides = new Set(sides ?? call.agencies.map((agency) => agency.code));
  for (const [key, entry] of Object.entries(consensus.criteria)) {
    const criterion = call.criteria.find((candidate) => candidate.key === key);
    if (!criterion) {
      problems.push({ code: 'unknown_criterion', path: `criteria.${key}`, message: 'is not a criterion of this call' });
      continue;
    }
    const problem = scoreProblem(criterion, entry.score, `criteria.${key}.score`);
    if (problem) problems.push(problem);
    const seen = new Set<string>();
    entry.minorityViews.forEach((view, i) => {
      const path = `criteria.${key}.minorityViews.${i}.agency`;
      if (!allowedSides.has(view.agency)) {
        problems.push({ code: 'consensus_invalid', path, message: `${view.agency} is not a side of this proposal` });
      } else if (seen.has(view.agency)) {
        problems.push({ code: 'consensus_invalid', path, message: `${view.agency} already has a minority view here` });
      }
      seen.add(view.agency);
    });
  }
  return problems;
}

/**
 * Checks a consensus draft; see consensusProblems.
 * @throws DomainError `unknown_criterion`, `score_out_of_range`, `score_invalid_step` or
 *   `consensus_invalid` (first problem's code), every problem in `fields`.
 */
export function assertConsensusValid(call: ConsensusCall, consensus: Consensus, sides?: readonly string[]): void {
  throwProblems(consensusProblems(call, consensus, sides));
}

/**
 * Checks that a consensus can be finalised: every criterion has a score and a rationale, and
 * there is a summary.
 * @throws DomainError `consensus_incomplete` listing each missing part in `fields`.
 */
export function assertConsensusComplete(call: ConsensusCall, consensus: Consensus): void {
  const problems: FieldProblem[] = [];
  for (const criterion of call.criteria) {
    const entry = consensus.criteria[criterion.key];
    if (!entry) {
      problems.push({ code: 'consensus_incomplete', path: `criteria.${criterion.key}`, message: 'has no consensus score' });
    } else if (!entry.rationale) {
      problems.push({ code: 'consensus_incomplete', path: `criteria.${criterion.key}.rationale`, message: 'is missing' });
    }
  }
  if (!consensus.summary) problems.push({ code: 'consensus_incomplete', path: 'summary', message: 'is missing' });
  throwProblems(problems);
}

/** The consensus weighted total and whether it passes every criterion threshold and the overall one. */
export interface ConsensusOutcome {
  /** Null until every criterion has a consensus score. */
  total: number | null;
  /** Null until complete. */
  passes: boolean | null;
  /** Criteria whose consensus score misses their threshold (direction-aware). */
  failing: string[];
}

/**
 * Scores a consensus against the call's thresholds (EU's "3 per criterion, 10 of 15 overall").
 * @throws DomainError `scale_mismatch` when the call's criteria mix scale directions.
 */
export function consensusOutcome(call: ConsensusCall, consensus: Consensus): ConsensusOutcome {
  const scale = totalScale(call.criteria);
  const scores: Record<string, number> = {};
  for (const [key, entry] of Object.entries(consensus.criteria)) scores[key] = entry.score;
  const failing = call.criteria
    .filter((criterion) => {
      const score = scores[criterion.key];
      return score !== undefined && criterion.threshold !== null && !meetsThreshold(criterion.scale, score, criterion.threshold);
    })
    .map((criterion) => criterion.key);
  const total = weightedTotal(call.criteria, scores);
  if (total === null) return { total, passes: failing.length > 0 ? false : null, failing };
  const totalPasses = call.overallThreshold === null || meetsThreshold(scale, total, call.overallThreshold);
  return { total, passes: failing.length === 0 && totalPasses, failing };
}

/**
 * Criteria whose consensus score lies outside the range of the submitted individual scores:
 * allowed, but the rationale should say why (the EU asks rapporteurs to justify it).
 */
export function scoresOutsideReviewRange(consensus: Consensus, reconciliation: ProposalReconciliation): string[] {
  return reconciliation.criteria
    .filter((criterion) => {
      const entry = consensus.criteria[criterion.key];
      const { min, max } = criterion.overall;
      return entry !== undefined && min !== null && max !== null && (entry.score < min || entry.score > max);
    })
    .map((criterion) => criterion.key);
}
