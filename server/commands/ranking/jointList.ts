import type { Types } from 'mongoose';
import { requestedTotal } from '../../domain/budget.js';
import { fundingLines } from '../../domain/fundingLine.js';
import { agencyRankings, assignTiers, overallRanking, type ProposalReviews } from '../../domain/ranking.js';
import type { ScoredReview } from '../../domain/reconciliation.js';
import type { Models } from '../../models/index.js';
import type { CallDoc } from '../reviews/callRules.js';
import { callRules } from '../reviews/callRules.js';

/**
 * Everything about one call's ranking, over all its proposals: the proposals, their reviews, the
 * overall scores, the joint order (stored, else initialised from the overall scores) with tiers
 * and funding lines. Views for one person are cut from it by `visibleRanking`.
 */
export async function loadJointList(models: Models, call: CallDoc & { _id: Types.ObjectId }) {
  const rules = callRules(call);
  const [proposals, reviews, stored] = await Promise.all([
    models.Proposal.find({ callId: call._id }, { ref: 1, title: 1, budget: 1, pis: 1 }).lean(),
    models.Review.find({ callId: call._id, status: 'submitted' }, { proposalId: 1, reviewerId: 1, agency: 1, scores: 1 }).lean(),
    models.Ranking.findOne({ callId: call._id }).lean(),
  ]);
  const reviewsOf = new Map<string, ScoredReview[]>(proposals.map((p) => [String(p._id), []]));
  for (const review of reviews) {
    reviewsOf.get(String(review.proposalId))?.push({
      reviewerId: String(review.reviewerId),
      agency: review.agency,
      status: 'submitted',
      scores: (review.scores ?? {}) as Record<string, number>,
    });
  }
  const proposalReviews: ProposalReviews[] = proposals.map((p) => ({ proposalId: String(p._id), reviews: reviewsOf.get(String(p._id))! }));
  const overall = overallRanking(rules.criteria, proposalReviews);
  const existing = new Set(reviewsOf.keys());
  const storedOrder = (stored?.order ?? []).map(String).filter((id) => existing.has(id));
  const inStored = new Set(storedOrder);
  // Proposals added after the list was first stored join at the bottom, in score order.
  const order = [...storedOrder, ...overall.map((entry) => entry.proposalId).filter((id) => !inStored.has(id))];
  const tiers = (stored?.tiers ?? []).map((tier) => ({ label: tier.label, lastPosition: tier.lastPosition }));
  const requests = proposals.map((p) => ({
    proposalId: String(p._id),
    requested: Object.fromEntries(
      rules.agencies.map((agency) => [agency.code, requestedTotal({ budget: (p.budget ?? {}) as Record<string, number[]> }, agency.code)]),
    ),
  }));
  return {
    rules,
    proposals,
    proposalReviews,
    overall,
    order,
    tiers,
    tiered: assignTiers(order, tiers),
    funding: fundingLines(rules.agencies, order, requests),
    stored,
    version: stored?.version ?? 0,
  };
}
export type JointList = Awaited<ReturnType<typeof loadJointList>>;

/** The 1-based full-list position a person means by `toPosition` in their own (conflict-filtered) list. */
export function fullPosition(order: readonly string[], visible: readonly string[], proposalId: string, toPosition: number): number {
  const rest = order.filter((id) => id !== proposalId);
  const others = visible.filter((id) => id !== proposalId);
  if (others.length === 0) return order.indexOf(proposalId) + 1;
  if (toPosition - 1 < others.length) return rest.indexOf(others[toPosition - 1]) + 1;
  return rest.indexOf(others[others.length - 1]) + 2;
}

/** A tier cut given in a person's own list, as a cut in the full list (monotone, so order is kept). */
export function fullCut(order: readonly string[], visible: readonly string[], lastPosition: number): number {
  if (lastPosition <= visible.length) return order.indexOf(visible[lastPosition - 1]) + 1;
  return order.length + (lastPosition - visible.length);
}

/** A full-list position as a position in a person's own list: how many visible proposals sit at or above it. */
export function visibleCount(order: readonly string[], hidden: ReadonlySet<string>, position: number | null): number | null {
  if (position === null) return null;
  const count = order.slice(0, position).filter((id) => !hidden.has(id)).length;
  return count === 0 ? null : count;
}

/** The position, in a person's own list, of the first visible proposal at or below a full-list position. */
export function firstVisibleFrom(order: readonly string[], visible: readonly string[], hidden: ReadonlySet<string>, position: number | null): number | null {
  if (position === null) return null;
  const first = order.slice(position - 1).find((id) => !hidden.has(id));
  return first === undefined ? null : visible.indexOf(first) + 1;
}

/**
 * One person's view of the ranking: proposals they are conflicted with are left out entirely, so
 * positions, ranks and tier cuts are renumbered over what they can see. Agency rankings are computed
 * over the visible proposals only; funding lines over the full list (a hidden proposal above the
 * line still uses budget), with only the visible proposals shown.
 */
export function visibleRanking(list: JointList, hidden: ReadonlySet<string>) {
  const visible = list.order.filter((id) => !hidden.has(id));
  const byId = new Map(list.proposals.map((p) => [String(p._id), p]));
  const overallOf = new Map(list.overall.map((entry) => [entry.proposalId, entry]));
  const tierOf = new Map(list.tiered.map((entry) => [entry.proposalId, entry.tier]));
  const fundingOf = new Map(list.funding.entries.map((entry) => [entry.proposalId, entry]));
  const visibleSet = new Set(visible);
  const agencies = agencyRankings(
    list.rules.criteria,
    list.rules.agencies.map((agency) => agency.code),
    list.proposalReviews.filter((p) => visibleSet.has(p.proposalId)),
  );
  return {
    visible,
    joint: visible.map((proposalId, i) => {
      const proposal = byId.get(proposalId)!;
      const funding = fundingOf.get(proposalId)!;
      return {
        position: i + 1,
        proposalId,
        ref: proposal.ref,
        title: proposal.title ?? null,
        score: overallOf.get(proposalId)?.score ?? null,
        n: overallOf.get(proposalId)?.n ?? 0,
        tier: tierOf.get(proposalId) ?? null,
        funding: Object.fromEntries(
          Object.entries(funding.byAgency).map(([agency, share]) => [agency, { requested: share.requested, within: share.within }]),
        ),
        aboveAllLines: funding.aboveAllLines,
      };
    }),
    agencies: Object.fromEntries(
      Object.entries(agencies).map(([agency, ranked]) => [
        agency,
        ranked.map((entry) => ({ rank: entry.rank, proposalId: entry.proposalId, ref: byId.get(entry.proposalId)!.ref, score: entry.score, n: entry.n, tiedWith: entry.tiedWith })),
      ]),
    ),
    tiers: list.tiers.map((tier) => ({ label: tier.label, lastPosition: visibleCount(list.order, hidden, tier.lastPosition) ?? 0 })),
    fundingLines: list.funding.lines.map((line) => ({
      ...line,
      lastWithin: visibleCount(list.order, hidden, line.lastWithin),
      firstBelow: firstVisibleFrom(list.order, visible, hidden, line.firstBelow),
    })),
  };
}
