import { Types } from 'mongoose';
import type { Phase } from '../../../shared/enums.js';
import type { ReviewPutInput } from '../../../shared/schemas/review.js';
import { applyReviewPut, type Review } from '../../domain/reviews.js';
import { ConflictError } from '../../errors.js';
import { authorize } from '../../policies/authorize.js';
import { presentReview, type ReviewDoc } from '../../presenters/review.js';
import type { CommandContext } from '../calls/callCommands.js';
import { loadProposalAccess } from '../access/loadAccess.js';
import { recordAudit } from '../audit/recordAudit.js';
import { contentChanged } from '../decisions/contentChanged.js';
import { callRules } from './callRules.js';
import { isDuplicateKey } from '../access/ids.js';
import { personNames } from './personNames.js';
import { changedCriteria, reviewFeed } from './reviewFeed.js';

function toDomain(doc: ReviewDoc): Review {
  return {
    proposalId: String(doc.proposalId),
    reviewerId: String(doc.reviewerId),
    agency: doc.agency,
    scores: (doc.scores ?? {}) as Record<string, number>,
    comments: (doc.comments ?? {}) as Record<string, string>,
    ...(doc.overallComment ? { overallComment: doc.overallComment } : {}),
    confidence: doc.confidence ?? 0,
    status: doc.status === 'submitted' ? 'submitted' : 'draft',
    version: doc.version ?? 0,
    submittedAt: doc.submittedAt ? doc.submittedAt.toISOString() : null,
    updatedAt: (doc.updatedAt ?? new Date(0)).toISOString(),
  };
}

/** What the audit log keeps of a review: everything its author wrote, and its state. */
function auditSnapshot(review: Pick<Review, 'scores' | 'comments' | 'overallComment' | 'confidence' | 'status' | 'version'>) {
  return {
    scores: review.scores,
    comments: review.comments,
    overallComment: review.overallComment ?? null,
    confidence: review.confidence,
    status: review.status,
    version: review.version,
  };
}

/**
 * `PUT /proposals/:id/reviews/mine`: creates or updates the signed-in reviewer's review, keyed by
 * (proposal, reviewer). Optimistic: the write matches the version it was based on, so of two
 * concurrent saves one wins and the other gets 409. A submitted review's change voids sign-offs.
 * @throws NotFoundError (not a member, conflicted), ForbiddenError (not assigned, not the review
 *   phase), DomainError (scores off scale, unknown criterion, incomplete submit, stale version),
 *   ConflictError (lost a race).
 */
export async function putMyReview(ctx: CommandContext, proposalId: string, body: ReviewPutInput) {
  // The access load already reads the own review (whole, here) and the assignment: not read twice.
  // The version check stays in the write's filter, so a save racing this read still gets 409.
  const { access, call, proposal, review: existing, assignment } = await loadProposalAccess(ctx.models, ctx.user, proposalId, { fullReview: true });
  authorize(access, 'review:write');
  const rules = callRules(call);
  const reviewerId = new Types.ObjectId(ctx.user.id);
  const agency = access.membership?.agency ?? assignment?.agency ?? '';
  const before = existing ? toDomain(existing) : null;
  const next = applyReviewPut({
    criteria: rules.criteria,
    phase: rules.phase as Phase,
    existing: before,
    body,
    proposalId: String(proposal._id),
    reviewer: { id: ctx.user.id, agency },
    now: ctx.now,
  });
  const fields = {
    agency: next.agency,
    scores: next.scores,
    comments: next.comments,
    overallComment: next.overallComment ?? '',
    confidence: next.confidence,
    status: next.status,
    submittedAt: next.submittedAt ? new Date(next.submittedAt) : null,
    version: next.version,
  };
  let saved: ReviewDoc | null;
  if (existing) {
    saved = await ctx.models.Review.findOneAndUpdate(
      { _id: existing._id, version: existing.version },
      { $set: fields },
      { returnDocument: 'after' },
    ).lean();
    if (!saved) throw new ConflictError('This review was changed elsewhere; reload it before saving');
  } else {
    try {
      saved = (await ctx.models.Review.create({ callId: call._id, proposalId: proposal._id, reviewerId, ...fields })).toObject();
    } catch (error) {
      if (isDuplicateKey(error)) throw new ConflictError('This review was created elsewhere; reload it before saving');
      throw error;
    }
  }
  const action = before?.status !== 'submitted' && next.status === 'submitted' ? 'review.submitted' : 'review.saved';
  await recordAudit(ctx.models, {
    callId: call._id,
    proposalId: proposal._id,
    actorId: ctx.user.id,
    action,
    before: before ? auditSnapshot(before) : null,
    after: auditSnapshot(next),
    at: ctx.now,
  });
  await contentChanged({ models: ctx.models, callId: call._id, proposalId: proposal._id, actorId: ctx.user.id, cause: action, now: ctx.now });
  // Live `review:submitted` only once the write is acknowledged (durable), and only for submitted
  // reviews; for readers a first submission changes every criterion (they never saw the draft).
  if (next.status === 'submitted') {
    reviewFeed(ctx.models).publish({ callId: String(call._id), proposalId: String(proposal._id), criteria: changedCriteria(before?.status === 'submitted' ? before : null, next) });
  }
  // The session already read the person's name for this request; ask the database only without it.
  const name = ctx.user.name ?? (await personNames(ctx.models, [ctx.user.id])).get(ctx.user.id) ?? '';
  return presentReview(saved, { id: ctx.user.id, name, agency: next.agency }, rules.criteria);
}

/**
 * `GET /proposals/:id/reviews/mine`: the signed-in reviewer's own review, or null before the first save.
 * @throws NotFoundError, ForbiddenError (not assigned).
 */
export async function getMyReview(ctx: CommandContext, proposalId: string) {
  const { access, call, proposal } = await loadProposalAccess(ctx.models, ctx.user, proposalId);
  authorize(access, 'review:readOwn');
  const doc = await ctx.models.Review.findOne({ proposalId: proposal._id, reviewerId: new Types.ObjectId(ctx.user.id) }).lean();
  if (!doc) return null;
  const names = await personNames(ctx.models, [ctx.user.id]);
  return presentReview(doc, { id: ctx.user.id, name: names.get(ctx.user.id) ?? '', agency: doc.agency }, callRules(call).criteria);
}

/**
 * `GET /proposals/:id/reviews`: the reviews the person may read, with reviewer name and agency.
 * The policy lets a reviewer in only after submitting their own (or from the panel phase on);
 * others' drafts are never shown to anyone.
 * @throws NotFoundError (not a member, conflicted), ForbiddenError (own review not submitted yet).
 */
export async function listReviews(ctx: CommandContext, proposalId: string) {
  const { access, call, proposal } = await loadProposalAccess(ctx.models, ctx.user, proposalId);
  authorize(access, 'review:readAll');
  const docs = await ctx.models.Review.find({ proposalId: proposal._id }).lean();
  const visible = docs.filter((doc) => doc.status === 'submitted' || String(doc.reviewerId) === ctx.user.id);
  const names = await personNames(ctx.models, visible.map((doc) => doc.reviewerId));
  const criteria = callRules(call).criteria;
  const agencyOrder = call.agencies.map((agency) => agency.code);
  return visible
    .map((doc) => {
      const id = String(doc.reviewerId);
      return presentReview(doc, { id, name: names.get(id) ?? '', agency: doc.agency }, criteria);
    })
    .sort(
      (a, b) =>
        agencyOrder.indexOf(a.agency) - agencyOrder.indexOf(b.agency) || a.reviewer.name.localeCompare(b.reviewer.name) || a.id.localeCompare(b.id),
    );
}
