import type { ScaleKind } from '../../shared/enums';
import type { Tier } from '../../shared/schemas/ranking';
import { DomainError } from './domainError';
import type { ScoredReview } from './reconciliation';
import { compareScores, sameScore } from './scales';
import { totalScale, weightedTotal, type WeightedCriterion } from './totals';

/** A proposal and its score to rank by (null when it has none, e.g. no reviews from that side). */
export interface ScoredProposal {
  proposalId: string;
  score: number | null;
  /** How many reviews the score rests on. */
  n: number;
}

/** A place in a ranking. Tied proposals share a rank (1, 2, 2, 4) and name each other. */
export interface RankedProposal extends ScoredProposal {
  /** 1-based; null for unscored proposals, which come last. */
  rank: number | null;
  tiedWith: string[];
}

/**
 * Ranks proposals best first on `scale`'s direction. Ties (equal within float noise) share a rank,
 * are listed in `tiedWith`, and are ordered by proposal id so the list is the same on every run.
 * Unscored proposals follow, by id, with rank null.
 */
export function rankByScore(scale: ScaleKind, proposals: readonly ScoredProposal[]): RankedProposal[] {
  const scored = proposals.filter((p): p is ScoredProposal & { score: number } => p.score !== null);
  const unscored = proposals.filter((p) => p.score === null);
  const byId = (a: ScoredProposal, b: ScoredProposal) => (a.proposalId < b.proposalId ? -1 : a.proposalId > b.proposalId ? 1 : 0);
  scored.sort((a, b) => compareScores(scale, a.score, b.score) || byId(a, b));
  unscored.sort(byId);
  const ranked = scored.map((proposal, i): RankedProposal => {
    const firstEqual = scored.findIndex((other) => sameScore(other.score, proposal.score));
    const tiedWith = scored
      .filter((other) => other !== proposal && sameScore(other.score, proposal.score))
      .map((other) => other.proposalId);
    return { ...proposal, rank: firstEqual === -1 ? i + 1 : firstEqual + 1, tiedWith };
  });
  return [...ranked, ...unscored.map((proposal) => ({ ...proposal, rank: null, tiedWith: [] }))];
}

/** One proposal with all its reviews (drafts are ignored). */
export interface ProposalReviews {
  proposalId: string;
  reviews: readonly ScoredReview[];
}

function meanTotal(criteria: readonly WeightedCriterion[], reviews: readonly ScoredReview[]): { score: number | null; n: number } {
  const totals = reviews
    .filter((review) => review.status === 'submitted')
    .map((review) => weightedTotal(criteria, review.scores))
    .filter((total): total is number => total !== null);
  return { score: totals.length ? totals.reduce((sum, t) => sum + t, 0) / totals.length : null, n: totals.length };
}

/**
 * One agency's ranking: each proposal by the mean weighted total of that agency's reviewers' submitted reviews.
 * @throws DomainError `scale_mismatch` when the criteria mix scale directions.
 */
export function agencyRanking(
  criteria: readonly WeightedCriterion[],
  agency: string,
  proposals: readonly ProposalReviews[],
): RankedProposal[] {
  const scale = totalScale(criteria);
  return rankByScore(
    scale,
    proposals.map((p) => ({ proposalId: p.proposalId, ...meanTotal(criteria, p.reviews.filter((r) => r.agency === agency)) })),
  );
}

/** Every agency's ranking side by side, keyed by agency code. @throws as agencyRanking. */
export function agencyRankings(
  criteria: readonly WeightedCriterion[],
  agencies: readonly string[],
  proposals: readonly ProposalReviews[],
): Record<string, RankedProposal[]> {
  return Object.fromEntries(agencies.map((agency) => [agency, agencyRanking(criteria, agency, proposals)]));
}

/** The starting joint list: all sides' reviews together. @throws as agencyRanking. */
export function overallRanking(criteria: readonly WeightedCriterion[], proposals: readonly ProposalReviews[]): RankedProposal[] {
  const scale = totalScale(criteria);
  return rankByScore(scale, proposals.map((p) => ({ proposalId: p.proposalId, ...meanTotal(criteria, p.reviews) })));
}

/** A negotiated change to the joint list. Positions are 1-based. */
export interface RankingMove {
  proposalId: string;
  toPosition: number;
  reason: string;
  /** Who moved it and when (ISO instant). */
  by: string;
  at: string;
}

/** A move as applied, with where the proposal came from. */
export interface AppliedMove extends RankingMove {
  fromPosition: number;
}

/**
 * Checks that `move` can apply to `order`.
 * @throws DomainError `ranking_reason_required` for a blank reason; `ranking_move_invalid` for a
 *   proposal not in the list, a position outside it, or a move to where it already is.
 */
export function assertMove(order: readonly string[], move: RankingMove): void {
  if (move.reason.trim() === '') {
    throw new DomainError('ranking_reason_required', 'every move in the joint ranking needs a reason', {
      reason: 'is required',
    });
  }
  const from = order.indexOf(move.proposalId);
  if (from === -1) {
    throw new DomainError('ranking_move_invalid', `${move.proposalId} is not in the joint list`, { proposalId: 'not in the list' });
  }
  if (!Number.isInteger(move.toPosition) || move.toPosition < 1 || move.toPosition > order.length) {
    throw new DomainError('ranking_move_invalid', `position must be between 1 and ${order.length}`, {
      toPosition: `must be between 1 and ${order.length}`,
    });
  }
  if (from + 1 === move.toPosition) {
    throw new DomainError('ranking_move_invalid', `${move.proposalId} is already at position ${move.toPosition}`, {
      toPosition: 'is the current position',
    });
  }
}

/**
 * Replays recorded moves on a starting order (proposal ids) and returns the joint list with the
 * record of each move. The starting order is not modified.
 * @throws DomainError as assertMove, for the first move that cannot apply.
 */
export function applyMoves(start: readonly string[], moves: readonly RankingMove[]): { order: string[]; history: AppliedMove[] } {
  const order = [...start];
  const history: AppliedMove[] = [];
  for (const move of moves) {
    assertMove(order, move);
    const from = order.indexOf(move.proposalId);
    order.splice(from, 1);
    order.splice(move.toPosition - 1, 0, move.proposalId);
    history.push({ ...move, fromPosition: from + 1 });
  }
  return { order, history };
}

/** A proposal's tier in the joint list (null below the last tier). */
export interface TieredProposal {
  proposalId: string;
  position: number;
  tier: string | null;
}

/**
 * Cuts the joint list into tiers from the top; each tier runs to its `lastPosition`.
 * @throws DomainError `tiers_invalid` when labels repeat or cut positions do not strictly increase.
 */
export function assignTiers(order: readonly string[], tiers: readonly Tier[]): TieredProposal[] {
  tiers.forEach((tier, i) => {
    if (tiers.findIndex((other) => other.label === tier.label) !== i) {
      throw new DomainError('tiers_invalid', `tier ${tier.label} is defined twice`, { [`tiers.${i}.label`]: 'is a duplicate' });
    }
    if (i > 0 && tier.lastPosition <= tiers[i - 1].lastPosition) {
      throw new DomainError('tiers_invalid', `tier ${tier.label} must end below tier ${tiers[i - 1].label}`, {
        [`tiers.${i}.lastPosition`]: `must be greater than ${tiers[i - 1].lastPosition}`,
      });
    }
  });
  return order.map((proposalId, i) => ({
    proposalId,
    position: i + 1,
    tier: tiers.find((tier) => i + 1 <= tier.lastPosition)?.label ?? null,
  }));
}
