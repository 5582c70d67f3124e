import { allowedActions, authorize } from '../../policies/authorize.js';
import { signingAgency } from '../../policies/roles.js';
import { presentCall } from '../../presenters/call.js';
import { presentConsensus } from '../../presenters/consensus.js';
import { toCsv, type CsvCell } from '../../presenters/csv.js';
import { presentReview } from '../../presenters/review.js';
import { weightedTotal } from '../../domain/totals.js';
import type { CommandContext } from '../calls/callCommands.js';
import { conflictedProposalIds, loadCallAccess } from '../access/loadAccess.js';
import { consensusOf } from '../decisions/signedContent.js';
import { decisionView } from '../decisions/decisionCommands.js';
import { loadJointList, visibleRanking } from '../ranking/jointList.js';
import { rankingFor } from '../ranking/rankingCommands.js';
import { callRules } from '../reviews/callRules.js';
import { personNames } from '../reviews/personNames.js';

function titleOf(title: { en?: string | null; ja?: string | null } | null | undefined): string {
  return title?.en || title?.ja || '';
}

async function loadExport(ctx: CommandContext, callId: string) {
  const { access, call } = await loadCallAccess(ctx.models, ctx.user, callId);
  authorize(access, 'export:read');
  const hidden = await conflictedProposalIds(ctx.models, callId, ctx.user.id);
  const proposals = (await ctx.models.Proposal.find({ callId: call._id }).sort({ ref: 1 }).lean()).filter(
    (p) => !hidden.has(String(p._id)),
  );
  return { access, call, hidden, proposals };
}

/**
 * `GET /calls/:id/export/scores.csv`: one row per proposal × reviewer (submitted reviews only)
 * with each criterion's score, the reviewer's agency and the weighted total. Conflicted proposals
 * never appear.
 * @throws NotFoundError (not a member), ForbiddenError (not staff).
 */
export async function exportScoresCsv(ctx: CommandContext, callId: string): Promise<string> {
  const { call, proposals } = await loadExport(ctx, callId);
  const rules = callRules(call);
  const reviews = await ctx.models.Review.find({ callId: call._id, status: 'submitted' }).lean();
  const names = await personNames(ctx.models, reviews.map((review) => review.reviewerId));
  const agencyOrder = rules.agencies.map((agency) => agency.code);
  const header = ['proposal_ref', 'proposal_title', 'reviewer', 'agency', ...rules.criteria.map((c) => c.key), 'weighted_total', 'confidence', 'submitted_at'];
  const rows: CsvCell[][] = [];
  for (const proposal of proposals) {
    const own = reviews
      .filter((review) => String(review.proposalId) === String(proposal._id))
      .map((review) => ({ review, name: names.get(String(review.reviewerId)) ?? '' }))
      .sort((a, b) => agencyOrder.indexOf(a.review.agency) - agencyOrder.indexOf(b.review.agency) || a.name.localeCompare(b.name));
    for (const { review, name } of own) {
      const scores = (review.scores ?? {}) as Record<string, number>;
      rows.push([
        proposal.ref,
        titleOf(proposal.title),
        name,
        review.agency,
        ...rules.criteria.map((criterion) => scores[criterion.key] ?? null),
        weightedTotal(rules.criteria, scores),
        review.confidence ?? null,
        review.submittedAt ? review.submittedAt.toISOString() : null,
      ]);
    }
  }
  return toCsv(header, rows);
}

/**
 * `GET /calls/:id/export/ranking.csv`: the joint list as the requester sees it (conflicted
 * proposals left out), with tier, score, each agency's rank and place against its funding line.
 * @throws NotFoundError, ForbiddenError.
 */
export async function exportRankingCsv(ctx: CommandContext, callId: string): Promise<string> {
  const { call, hidden } = await loadExport(ctx, callId);
  const list = await loadJointList(ctx.models, call);
  const view = visibleRanking(list, hidden);
  const agencies = list.rules.agencies.map((agency) => agency.code);
  const header = [
    'position', 'proposal_ref', 'proposal_title', 'tier', 'score', 'reviews',
    ...agencies.flatMap((code) => [`${code}_rank`, `${code}_requested`, `${code}_within_line`]),
    'above_all_lines',
  ];
  const rankOf = (code: string, proposalId: string) => view.agencies[code]?.find((entry) => entry.proposalId === proposalId)?.rank ?? null;
  const rows = view.joint.map((entry): CsvCell[] => [
    entry.position,
    entry.ref,
    titleOf(entry.title),
    entry.tier,
    entry.score,
    entry.n,
    ...agencies.flatMap((code): CsvCell[] => {
      const share = entry.funding[code];
      return [rankOf(code, entry.proposalId), share?.requested ?? null, share ? (share.within ? 'yes' : 'no') : null];
    }),
    entry.aboveAllLines ? 'yes' : 'no',
  ]);
  return toCsv(header, rows);
}

/**
 * `GET /calls/:id/export/call.json`: the whole call as the requester may see it: call, proposals,
 * submitted reviews, consensus, ranking and decisions with sign-off status. Conflicted proposals
 * (and everything about them) are left out; reviewers' drafts are never exported.
 * @throws NotFoundError, ForbiddenError.
 */
export async function exportCallJson(ctx: CommandContext, callId: string) {
  const { access, call, hidden, proposals } = await loadExport(ctx, callId);
  const rules = callRules(call);
  const ids = proposals.map((p) => p._id);
  const [reviews, consensusDocs, list] = await Promise.all([
    ctx.models.Review.find({ callId: call._id, status: 'submitted', proposalId: { $in: ids } }).lean(),
    ctx.models.Consensus.find({ callId: call._id, proposalId: { $in: ids } }).lean(),
    loadJointList(ctx.models, call),
  ]);
  const names = await personNames(ctx.models, reviews.map((review) => review.reviewerId));
  const decisions = [];
  for (const proposal of proposals) decisions.push(await decisionView(ctx, call, proposal, signingAgency(access)));
  return {
    exportedAt: ctx.now.toISOString(),
    call: presentCall(call, {
      role: access.membership?.role ?? (access.user.isAdmin ? 'admin' : null),
      agency: access.membership?.agency,
      allowed: allowedActions(access),
      now: ctx.now,
      viewerZone: ctx.user.timeZone,
    }),
    proposals: proposals.map((p) => ({
      id: String(p._id),
      ref: p.ref,
      title: p.title ?? null,
      abstract: p.abstract ?? null,
      pis: p.pis,
      budget: p.budget,
      periodMonths: p.periodMonths,
    })),
    reviews: reviews.map((review) => {
      const id = String(review.reviewerId);
      return presentReview(review, { id, name: names.get(id) ?? '', agency: review.agency }, rules.criteria);
    }),
    consensus: consensusDocs.map((doc) => presentConsensus(doc, consensusOf(doc)!, rules)),
    ranking: await rankingFor(ctx, list, hidden, callId),
    decisions,
  };
}
