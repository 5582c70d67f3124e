import type { Phase, Role } from '../../../shared/enums.js';
import { NotFoundError } from '../../errors.js';
import type { Models } from '../../models/index.js';
import type { CallAccess, ProposalAccess } from '../../policies/access.js';
import { isProposalFinalised } from '../decisions/signedContent.js';
import { parseId } from './ids.js';

/** The person asking, as every entry point (REST, socket, collab) knows them. */
export interface Requester {
  id: string;
  isAdmin: boolean;
}

/**
 * Loads the call and the requester's role in it.
 * @throws NotFoundError when the call does not exist.
 */
export async function loadCallAccess(models: Models, user: Requester, callId: string) {
  const call = await models.Call.findById(parseId(callId)).lean();
  if (!call) throw new NotFoundError();
  const membership = await models.Membership.findOne({ callId: call._id, userId: parseId(user.id) }).lean();
  return { access: buildCallAccess(user, call, membership), call };
}

/** The call half of every access: who asks, the call's phase and agencies, their role in it. */
function buildCallAccess(user: Requester, call: ProposalAccessFacts['call'], membership: ProposalAccessFacts['membership']): CallAccess {
  return {
    user: { id: user.id, isAdmin: user.isAdmin },
    call: { id: String(call._id), phase: call.phase as Phase, agencies: call.agencies.map((a) => a.code) },
    membership: membership ? { role: membership.role as Role, agency: membership.agency ?? undefined } : null,
  };
}

/** The stored documents a proposal's access facts are built from (lean, only the fields used here). */
export interface ProposalAccessFacts {
  call: { _id: unknown; phase: string; agencies: readonly { code: string }[] };
  proposal: { _id: unknown; rapporteurId?: unknown };
  agencies: readonly string[];
  membership: { role: string; agency?: string | null } | null;
  conflict: unknown;
  assignment: { rapporteur?: boolean | null } | null;
  review: { status?: string | null } | null;
  finalised: boolean;
}

/**
 * The one place a ProposalAccess is put together from stored documents: the single-person and the
 * many-people loaders both call it, so the policies see exactly the same facts either way.
 */
export function buildProposalAccess(user: Requester, facts: ProposalAccessFacts): ProposalAccess {
  const { call, proposal, membership, assignment, review } = facts;
  return {
    ...buildCallAccess(user, call, membership),
    proposal: { id: String(proposal._id), agencies: facts.agencies },
    conflicted: facts.conflict !== null && facts.conflict !== undefined,
    assigned: assignment !== null,
    rapporteur: assignment?.rapporteur === true || String(proposal.rapporteurId) === user.id,
    ownReviewSubmitted: review?.status === 'submitted',
    finalised: facts.finalised,
  };
}

/**
 * Loads a proposal, its call and everything the policies need about the requester and it:
 * role, conflict, assignment, own review state. One read for the proposal, then every other read
 * at once (they all key on the proposal or its call). The assignment and own review read for the
 * policies are returned too, so a command need not read them again; `fullReview` reads the whole
 * own review instead of its status only.
 * @throws NotFoundError when the proposal does not exist.
 */
export async function loadProposalAccess(models: Models, user: Requester, proposalId: string, options: { fullReview?: boolean } = {}) {
  const proposal = await models.Proposal.findById(parseId(proposalId)).lean();
  if (!proposal) throw new NotFoundError();
  const userId = parseId(user.id);
  const agencies = [...new Set(proposal.pis.map((pi) => pi.agency))];
  // Without `fullReview` only `status` is read (the returned review then has no other field).
  const reviewProjection: Record<string, 1> | undefined = options.fullReview ? undefined : { status: 1 };
  const [call, membership, conflict, assignment, review, finalised] = await Promise.all([
    models.Call.findById(proposal.callId).lean(),
    models.Membership.findOne({ callId: proposal.callId, userId }).lean(),
    models.Conflict.findOne({ proposalId: proposal._id, userId, status: { $ne: 'dismissed' } }, { _id: 1 }).lean(),
    models.Assignment.findOne({ proposalId: proposal._id, reviewerId: userId }).lean(),
    models.Review.findOne({ proposalId: proposal._id, reviewerId: userId }, reviewProjection).lean(),
    // Final: every participating agency signed off the current scores, consensus and decision.
    isProposalFinalised(models, proposal._id, agencies),
  ]);
  if (!call) throw new NotFoundError();
  const access = buildProposalAccess(user, { call, proposal, agencies, membership, conflict, assignment, review, finalised });
  return { access, call, proposal, assignment, review };
}

/**
 * Ids of the proposals in a call the person is conflicted with (for filtering lists, rankings,
 * exports and audit reads in one query instead of one per row).
 */
export async function conflictedProposalIds(models: Models, callId: string, userId: string): Promise<Set<string>> {
  const rows = await models.Conflict.find(
    { callId: parseId(callId), userId: parseId(userId), status: { $ne: 'dismissed' } },
    { proposalId: 1 },
  ).lean();
  return new Set(rows.map((row) => String(row.proposalId)));
}
