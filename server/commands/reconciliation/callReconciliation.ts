import type { Types } from 'mongoose';
import { reconcile, type ScoredReview } from '../../domain/reconciliation.js';
import type { Models } from '../../models/index.js';
import type { CallAccess, ProposalAccess } from '../../policies/access.js';
import { authorize, can } from '../../policies/authorize.js';
import { presentCallReconciliation } from '../../presenters/callReconciliation.js';
import { conflictedProposalIds, loadCallAccess } from '../access/loadAccess.js';
import type { CommandContext } from '../calls/callCommands.js';
import { isProposalFinalised } from '../decisions/signedContent.js';
import { callRules } from '../reviews/callRules.js';

type ProposalRow = { _id: Types.ObjectId; pis: { agency: string }[]; rapporteurId?: unknown };

/**
 * The facts `loadProposalAccess` would load for each proposal of the call, read in a handful of
 * queries instead of several per proposal, so every row is judged by the very same policy.
 */
async function proposalAccesses(ctx: CommandContext, callAccess: CallAccess, callId: Types.ObjectId, proposals: readonly ProposalRow[]) {
  const userId = ctx.user.id;
  const ids = proposals.map((proposal) => proposal._id);
  const [conflicted, assignments, reviews, decisions] = await Promise.all([
    conflictedProposalIds(ctx.models, String(callId), userId),
    ctx.models.Assignment.find({ callId, reviewerId: userId }, { proposalId: 1, rapporteur: 1 }).lean(),
    ctx.models.Review.find({ callId, reviewerId: userId }, { proposalId: 1, status: 1 }).lean(),
    ctx.models.Decision.find({ proposalId: { $in: ids } }, { proposalId: 1 }).lean(),
  ]);
  const assignmentOf = new Map(assignments.map((a) => [String(a.proposalId), a]));
  const reviewOf = new Map(reviews.map((r) => [String(r.proposalId), r]));
  const decided = new Set(decisions.map((d) => String(d.proposalId)));
  return Promise.all(
    proposals.map(async (proposal): Promise<ProposalAccess> => {
      const id = String(proposal._id);
      const agencies = [...new Set(proposal.pis.map((pi) => pi.agency))];
      const assignment = assignmentOf.get(id);
      return {
        ...callAccess,
        proposal: { id, agencies },
        conflicted: conflicted.has(id),
        assigned: assignment !== undefined,
        rapporteur: assignment?.rapporteur === true || String(proposal.rapporteurId) === userId,
        ownReviewSubmitted: reviewOf.get(id)?.status === 'submitted',
        // Only proposals with a decision can be final; the full check runs for those alone.
        finalised: decided.has(id) && (await isProposalFinalised(ctx.models, proposal._id, agencies)),
      };
    }),
  );
}

/**
 * `GET /calls/:id/reconciliation`: the heat map's figures for every proposal of the call whose
 * reconciliation the person may read (`reconciliation:read`, judged per proposal exactly as
 * `GET /proposals/:id/reconciliation` judges it). Proposals they are conflicted with, or may not
 * read yet, are left out entirely.
 * @throws NotFoundError for a non-member.
 */
export async function getCallReconciliation(ctx: CommandContext, callId: string) {
  const { access, call } = await loadCallAccess(ctx.models, ctx.user, callId);
  authorize(access, 'call:read');
  const proposals = await ctx.models.Proposal.find({ callId: call._id }, { pis: 1, rapporteurId: 1, ref: 1 }).sort({ ref: 1 }).lean();
  const accesses = await proposalAccesses(ctx, access, call._id, proposals);
  const readable = proposals.filter((_, i) => can(accesses[i], 'reconciliation:read'));
  const readableIds = readable.map((proposal) => proposal._id);
  const [reviews, assignments] = await Promise.all([
    ctx.models.Review.find({ proposalId: { $in: readableIds }, status: 'submitted' }, { proposalId: 1, reviewerId: 1, agency: 1, scores: 1 }).lean(),
    ctx.models.Assignment.find({ proposalId: { $in: readableIds } }, { proposalId: 1, reviewerId: 1 }).lean(),
  ]);
  const rules = callRules(call);
  const entries = readable.map((proposal) => {
    const id = String(proposal._id);
    const scored: ScoredReview[] = reviews
      .filter((review) => String(review.proposalId) === id)
      .map((review) => ({
        reviewerId: String(review.reviewerId),
        agency: review.agency,
        status: 'submitted',
        scores: (review.scores ?? {}) as Record<string, number>,
      }));
    const assigned = assignments.filter((a) => String(a.proposalId) === id).map((a) => String(a.reviewerId));
    return { proposalId: id, reconciliation: reconcile(rules, scored, assigned) };
  });
  return presentCallReconciliation(String(call._id), rules, entries);
}
