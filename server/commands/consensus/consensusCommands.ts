import type { Types } from 'mongoose';
import type { ConsensusPutInput } from '../../../shared/schemas/consensus.js';
import { assertConsensusValid, type Consensus } from '../../domain/consensus.js';
import { participatingAgencies } from '../../domain/proposals.js';
import { reconcile, type ScoredReview } from '../../domain/reconciliation.js';
import { ConflictError } from '../../errors.js';
import type { Models } from '../../models/index.js';
import { authorize } from '../../policies/authorize.js';
import { presentConsensus } from '../../presenters/consensus.js';
import { presentReconciliation } from '../../presenters/reconciliation.js';
import type { CommandContext } from '../calls/callCommands.js';
import { loadProposalAccess } from '../access/loadAccess.js';
import { recordAudit } from '../audit/recordAudit.js';
import { contentChanged } from '../decisions/contentChanged.js';
import { consensusOf } from '../decisions/signedContent.js';
import { callRules, type CallRules } from '../reviews/callRules.js';
import { isDuplicateKey } from '../access/ids.js';
import { personNames } from '../reviews/personNames.js';

async function reconcileProposal(models: Models, rules: CallRules, proposalId: Types.ObjectId) {
  const [reviews, assignments] = await Promise.all([
    models.Review.find({ proposalId, status: 'submitted' }, { reviewerId: 1, agency: 1, status: 1, scores: 1 }).lean(),
    models.Assignment.find({ proposalId }, { reviewerId: 1 }).lean(),
  ]);
  const scored: ScoredReview[] = reviews.map((review) => ({
    reviewerId: String(review.reviewerId),
    agency: review.agency,
    status: 'submitted',
    scores: (review.scores ?? {}) as Record<string, number>,
  }));
  return reconcile(rules, scored, assignments.map((assignment) => String(assignment.reviewerId)));
}

/**
 * `GET /proposals/:id/reconciliation`: the statistics of the submitted reviews (overall and per
 * agency), flags, weighted total and pass/fail, with the consensus if there is one.
 * @throws NotFoundError (not a member, conflicted), ForbiddenError (a reviewer before submitting).
 */
export async function getReconciliation(ctx: CommandContext, proposalId: string) {
  const { access, call, proposal } = await loadProposalAccess(ctx.models, ctx.user, proposalId);
  authorize(access, 'reconciliation:read');
  const rules = callRules(call);
  const [reconciliation, consensusDoc] = await Promise.all([
    reconcileProposal(ctx.models, rules, proposal._id),
    ctx.models.Consensus.findOne({ proposalId: proposal._id }).lean(),
  ]);
  const consensus = consensusOf(consensusDoc);
  const names = await personNames(ctx.models, reconciliation.missingReviewerIds);
  return presentReconciliation(
    String(proposal._id),
    rules,
    reconciliation,
    consensusDoc && consensus ? presentConsensus(consensusDoc, consensus, rules, reconciliation) : null,
    reconciliation.missingReviewerIds.map((id) => ({ id, name: names.get(id) ?? '' })),
  );
}

/**
 * `GET /proposals/:id/consensus`: the consensus, or null before anyone wrote one. Readable by
 * whoever may read the reconciliation it sits on.
 * @throws NotFoundError, ForbiddenError.
 */
export async function getConsensus(ctx: CommandContext, proposalId: string) {
  const { access, call, proposal } = await loadProposalAccess(ctx.models, ctx.user, proposalId);
  authorize(access, 'reconciliation:read');
  const doc = await ctx.models.Consensus.findOne({ proposalId: proposal._id }).lean();
  const consensus = consensusOf(doc);
  if (!doc || !consensus) return null;
  const rules = callRules(call);
  return presentConsensus(doc, consensus, rules, await reconcileProposal(ctx.models, rules, proposal._id));
}

/**
 * `PUT /proposals/:id/consensus`: replaces the consensus (scores on each criterion's scale,
 * minority views only from the proposal's sides). Optimistic on `version`; voids sign-offs.
 * @throws NotFoundError, ForbiddenError (not a moderator/rapporteur, wrong phase, finalised),
 *   DomainError (unknown criterion, score off scale, bad minority view), ConflictError (stale version).
 */
export async function putConsensus(ctx: CommandContext, proposalId: string, body: ConsensusPutInput) {
  const { access, call, proposal } = await loadProposalAccess(ctx.models, ctx.user, proposalId);
  authorize(access, 'consensus:write');
  const rules = callRules(call);
  const { version, ...rest } = body;
  const next: Consensus = rest;
  assertConsensusValid(rules, next, participatingAgencies(rules, proposal));
  const existing = await ctx.models.Consensus.findOne({ proposalId: proposal._id }).lean();
  const storedVersion = existing?.version ?? 0;
  if (version !== storedVersion) throw new ConflictError();
  const fields = {
    criteria: next.criteria,
    summary: next.summary ?? null,
    recommendation: next.recommendation ?? null,
    updatedBy: ctx.user.id,
    version: storedVersion + 1,
  };
  if (existing) {
    const updated = await ctx.models.Consensus.findOneAndUpdate(
      { _id: existing._id, version: storedVersion },
      { $set: fields },
      { returnDocument: 'after' },
    ).lean();
    if (!updated) throw new ConflictError();
  } else {
    try {
      await ctx.models.Consensus.create({ callId: call._id, proposalId: proposal._id, ...fields });
    } catch (error) {
      if (isDuplicateKey(error)) throw new ConflictError();
      throw error;
    }
  }
  await recordAudit(ctx.models, {
    callId: call._id,
    proposalId: proposal._id,
    actorId: ctx.user.id,
    action: 'consensus.updated',
    before: existing ? { ...consensusOf(existing), version: storedVersion } : null,
    after: { ...next, version: storedVersion + 1 },
    at: ctx.now,
  });
  await contentChanged({ models: ctx.models, callId: call._id, proposalId: proposal._id, actorId: ctx.user.id, cause: 'consensus.updated', now: ctx.now });
  return (await getConsensus(ctx, proposalId))!;
}
