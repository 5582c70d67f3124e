import { isValidObjectId, Types } from 'mongoose';
import type { Phase, Role } from '../../../shared/enums.js';
import { NotFoundError } from '../../errors.js';
import type { Models } from '../../models/index.js';
import type { CallAccess, ProposalAccess } from '../../policies/access.js';
import { isProposalFinalised } from '../decisions/signedContent.js';

/** The person asking, as every entry point (REST, socket, collab) knows them. */
export interface Requester {
  id: string;
  isAdmin: boolean;
}

function objectId(id: string): Types.ObjectId {
  if (!isValidObjectId(id) || !/^[0-9a-f]{24}$/i.test(id)) throw new NotFoundError();
  return new Types.ObjectId(id);
}

/**
 * Loads the call and the requester's role in it.
 * @throws NotFoundError when the call does not exist.
 */
export async function loadCallAccess(models: Models, user: Requester, callId: string) {
  const call = await models.Call.findById(objectId(callId)).lean();
  if (!call) throw new NotFoundError();
  const membership = await models.Membership.findOne({ callId: call._id, userId: objectId(user.id) }).lean();
  const access: CallAccess = {
    user: { id: user.id, isAdmin: user.isAdmin },
    call: { id: String(call._id), phase: call.phase as Phase, agencies: call.agencies.map((a) => a.code) },
    membership: membership ? { role: membership.role as Role, agency: membership.agency ?? undefined } : null,
  };
  return { access, call };
}

/**
 * Loads a proposal, its call and everything the policies need about the requester and it:
 * role, conflict, assignment, own review state.
 * @throws NotFoundError when the proposal does not exist.
 */
export async function loadProposalAccess(models: Models, user: Requester, proposalId: string) {
  const proposal = await models.Proposal.findById(objectId(proposalId)).lean();
  if (!proposal) throw new NotFoundError();
  const { access: callAccess, call } = await loadCallAccess(models, user, String(proposal.callId));
  const userId = objectId(user.id);
  const agencies = [...new Set(proposal.pis.map((pi) => pi.agency))];
  const [conflict, assignment, review, finalised] = await Promise.all([
    models.Conflict.findOne({ proposalId: proposal._id, userId, status: { $ne: 'dismissed' } }).lean(),
    models.Assignment.findOne({ proposalId: proposal._id, reviewerId: userId }).lean(),
    models.Review.findOne({ proposalId: proposal._id, reviewerId: userId }, { status: 1 }).lean(),
    // Final: every participating agency signed off the current scores, consensus and decision.
    isProposalFinalised(models, proposal._id, agencies),
  ]);
  const access: ProposalAccess = {
    ...callAccess,
    proposal: { id: String(proposal._id), agencies },
    conflicted: conflict !== null,
    assigned: assignment !== null,
    rapporteur: assignment?.rapporteur === true || String(proposal.rapporteurId) === user.id,
    ownReviewSubmitted: review?.status === 'submitted',
    finalised,
  };
  return { access, call, proposal };
}

/**
 * Ids of the proposals in a call the person is conflicted with (for filtering lists, rankings,
 * exports and audit reads in one query instead of one per row).
 */
export async function conflictedProposalIds(models: Models, callId: string, userId: string): Promise<Set<string>> {
  const rows = await models.Conflict.find(
    { callId: objectId(callId), userId: objectId(userId), status: { $ne: 'dismissed' } },
    { proposalId: 1 },
  ).lean();
  return new Set(rows.map((row) => String(row.proposalId)));
}
