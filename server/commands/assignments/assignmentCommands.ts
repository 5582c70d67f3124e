import { Types } from 'mongoose';
import type { AssignmentAcceptInput, AssignmentCreateInput } from '../../../shared/schemas/assignment.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../errors.js';
import type { Models } from '../../models/index.js';
import { presentAssignment, presentReviewerLoad, type AssignmentDoc } from '../../presenters/assignment.js';
import { authorize } from '../../policies/authorize.js';
import { isStaff } from '../../policies/roles.js';
import { conflictedProposalIds, loadCallAccess, loadProposalAccess } from '../access/loadAccess.js';
import { isDuplicateKey, parseId } from '../access/ids.js';
import { recordAudit } from '../audit/recordAudit.js';
import type { CommandContext } from '../calls/callCommands.js';

const snapshot = (a: AssignmentDoc) => ({
  proposalId: String(a.proposalId),
  reviewerId: String(a.reviewerId),
  agency: a.agency,
  rapporteur: Boolean(a.rapporteur),
  acceptedAt: a.acceptedAt ?? null,
});

/** Assignments with their proposal's ref and title and their reviewer's name, in two queries. */
async function presentMany(models: Models, assignments: AssignmentDoc[]) {
  const [proposals, reviewers] = await Promise.all([
    models.Proposal.find({ _id: { $in: [...new Set(assignments.map((a) => String(a.proposalId)))] } }, { ref: 1, title: 1 }).lean(),
    models.User.find({ _id: { $in: [...new Set(assignments.map((a) => String(a.reviewerId)))] } }, { name: 1 }).lean(),
  ]);
  const proposalBy = new Map(proposals.map((p) => [String(p._id), p]));
  const reviewerBy = new Map(reviewers.map((u) => [String(u._id), u]));
  return assignments.map((a) =>
    presentAssignment(a, { proposal: proposalBy.get(String(a.proposalId)) ?? null, reviewer: reviewerBy.get(String(a.reviewerId)) ?? null }),
  );
}

/**
 * Assigns a reviewer of the call to a proposal, on the agency side of their membership. As
 * rapporteur, they replace any previous rapporteur of the proposal.
 * @throws NotFoundError, ForbiddenError, ValidationError (proposal not in the call or hidden from
 *   the requester by their own conflict; person not a reviewer of the call), ConflictError
 *   `conflict_of_interest` (409: the reviewer has a proposed or confirmed conflict with it) or
 *   `already_assigned`.
 */
export async function createAssignment(ctx: CommandContext, callId: string, input: AssignmentCreateInput) {
  const { access, call } = await loadCallAccess(ctx.models, ctx.user, callId);
  authorize(access, 'assignment:write');
  const proposalId = new Types.ObjectId(input.proposalId);
  const reviewerId = new Types.ObjectId(input.reviewerId);
  const [proposal, hidden, membership, conflict] = await Promise.all([
    ctx.models.Proposal.findOne({ _id: proposalId, callId: call._id }, { _id: 1 }).lean(),
    conflictedProposalIds(ctx.models, callId, ctx.user.id),
    ctx.models.Membership.findOne({ callId: call._id, userId: reviewerId, role: 'reviewer' }).lean(),
    ctx.models.Conflict.exists({ proposalId, userId: reviewerId, status: { $ne: 'dismissed' } }),
  ]);
  if (!proposal || hidden.has(input.proposalId)) throw new ValidationError('No such proposal', { proposalId: 'no such proposal in this call' });
  if (!membership?.agency) throw new ValidationError('Not a reviewer', { reviewerId: 'is not a reviewer in this call' });
  if (conflict) throw new ConflictError('This reviewer has a conflict of interest with this proposal', 'conflict_of_interest');
  let created;
  try {
    created = await ctx.models.Assignment.create({
      callId: call._id,
      proposalId,
      reviewerId,
      agency: membership.agency,
      rapporteur: input.rapporteur,
      assignedBy: new Types.ObjectId(ctx.user.id),
    });
  } catch (error) {
    if (isDuplicateKey(error)) throw new ConflictError('This reviewer is already assigned to this proposal', 'already_assigned');
    throw error;
  }
  if (input.rapporteur) {
    await ctx.models.Assignment.updateMany({ proposalId, _id: { $ne: created._id }, rapporteur: true }, { $set: { rapporteur: false } });
    await ctx.models.Proposal.updateOne({ _id: proposalId }, { $set: { rapporteurId: reviewerId } });
  }
  const doc = created.toObject();
  await recordAudit(ctx.models, { callId: call._id, proposalId, actorId: ctx.user.id, action: 'assignment.created', after: snapshot(doc), at: ctx.now });
  const [presented] = await presentMany(ctx.models, [doc]);
  return presented;
}

/**
 * Removes an assignment that has no review yet (a review, even a draft, would be orphaned).
 * @throws NotFoundError, ForbiddenError, ConflictError `review_exists`.
 */
export async function removeAssignment(ctx: CommandContext, assignmentId: string) {
  const assignment = await ctx.models.Assignment.findById(parseId(assignmentId)).lean();
  if (!assignment) throw new NotFoundError();
  const { access } = await loadCallAccess(ctx.models, ctx.user, String(assignment.callId));
  authorize(access, 'assignment:write');
  const hidden = await conflictedProposalIds(ctx.models, String(assignment.callId), ctx.user.id);
  if (hidden.has(String(assignment.proposalId))) throw new NotFoundError();
  if (await ctx.models.Review.exists({ proposalId: assignment.proposalId, reviewerId: assignment.reviewerId })) {
    throw new ConflictError('This reviewer has started a review of the proposal', 'review_exists');
  }
  const { deletedCount } = await ctx.models.Assignment.deleteOne({ _id: assignment._id });
  if (deletedCount !== 1) throw new NotFoundError();
  await ctx.models.Proposal.updateOne({ _id: assignment.proposalId, rapporteurId: assignment.reviewerId }, { $set: { rapporteurId: null } });
  await recordAudit(ctx.models, {
    callId: assignment.callId,
    proposalId: assignment.proposalId,
    actorId: ctx.user.id,
    action: 'assignment.removed',
    before: snapshot(assignment),
    at: ctx.now,
  });
}

/**
 * A call's assignments. Staff see all (except on proposals they are conflicted with) and every
 * reviewer's load; anyone else sees their own. `load` is null for non-staff.
 * @throws NotFoundError for a non-member.
 */
export async function listAssignments(ctx: CommandContext, callId: string) {
  const { access, call } = await loadCallAccess(ctx.models, ctx.user, callId);
  authorize(access, 'call:read');
  const staff = isStaff(access);
  const filter = staff ? { callId: call._id } : { callId: call._id, reviewerId: new Types.ObjectId(ctx.user.id) };
  const [hidden, all] = await Promise.all([
    conflictedProposalIds(ctx.models, callId, ctx.user.id),
    ctx.models.Assignment.find(filter).sort({ createdAt: 1 }).lean(),
  ]);
  const assignments = await presentMany(ctx.models, all.filter((a) => !hidden.has(String(a.proposalId))));
  if (!staff) return { assignments, load: null };
  const reviewers = await ctx.models.Membership.find({ callId: call._id, role: 'reviewer' }, { userId: 1, agency: 1 }).lean();
  const names = await ctx.models.User.find({ _id: { $in: reviewers.map((r) => r.userId) } }, { name: 1 }).lean();
  const nameBy = new Map(names.map((u) => [String(u._id), u.name]));
  // The load counts every assignment, including those on proposals hidden from the requester: a count names no proposal.
  const load = reviewers.map((r) => {
    const mine = all.filter((a) => String(a.reviewerId) === String(r.userId));
    return presentReviewerLoad({
      userId: String(r.userId),
      name: nameBy.get(String(r.userId)) ?? '',
      agency: r.agency ?? null,
      assigned: mine.length,
      accepted: mine.filter((a) => a.acceptedAt).length,
    });
  });
  return { assignments, load };
}

/**
 * The assigned reviewer accepts, certifying they have no conflict of interest (EU and NIH
 * practice). Accepting twice keeps the first certification.
 * @throws NotFoundError (also when conflicted), ForbiddenError (someone else's assignment).
 */
export async function acceptAssignment(ctx: CommandContext, assignmentId: string, _input: AssignmentAcceptInput) {
  const assignment = await ctx.models.Assignment.findById(parseId(assignmentId)).lean();
  if (!assignment) throw new NotFoundError();
  const { access } = await loadProposalAccess(ctx.models, ctx.user, String(assignment.proposalId));
  if (String(assignment.reviewerId) !== ctx.user.id) {
    authorize(access, 'assignment:read');
    throw new ForbiddenError('Only the assigned reviewer can accept this assignment');
  }
  authorize(access, 'assignment:accept');
  const accepted = await ctx.models.Assignment.findOneAndUpdate(
    { _id: assignment._id, acceptedAt: null },
    { $set: { acceptedAt: ctx.now, noConflictCertifiedAt: ctx.now } },
    { returnDocument: 'after' },
  ).lean();
  if (accepted) {
    await recordAudit(ctx.models, {
      callId: assignment.callId,
      proposalId: assignment.proposalId,
      actorId: ctx.user.id,
      action: 'assignment.accepted',
      before: snapshot(assignment),
      after: { ...snapshot(accepted), noConflictCertifiedAt: accepted.noConflictCertifiedAt },
      at: ctx.now,
    });
  }
  const current = accepted ?? (await ctx.models.Assignment.findById(assignment._id).lean());
  if (!current) throw new NotFoundError();
  const [presented] = await presentMany(ctx.models, [current]);
  return presented;
}
