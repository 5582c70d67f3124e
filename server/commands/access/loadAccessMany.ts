import { Types } from 'mongoose';
import type { Models } from '../../models/index.js';
import type { ProposalAccess } from '../../policies/access.js';
import { isProposalFinalised } from '../decisions/signedContent.js';
import { isIdString } from './ids.js';
import { buildProposalAccess, type Requester } from './loadAccess.js';

/**
 * The proposal access of many people at once, for deciding who may be told about a change (live
 * delivery): the same facts as `loadProposalAccess` gives each of them, built by the same
 * `buildProposalAccess`, but read in one query per kind (memberships, conflicts, assignments,
 * reviews) instead of seven per person. Nothing is cached: every call reads the current state.
 * A person who would get NotFoundError from `loadProposalAccess` (malformed id) is left out; so is
 * everyone when the proposal or its call does not exist.
 */
export async function loadProposalAccessForMany(
  models: Models,
  people: readonly Requester[],
  proposalId: string,
  /** The call's memberships when the caller has just read them (whole documents): not read again. */
  known: { callMemberships?: readonly { userId: unknown; callId: unknown; role: string; agency?: string | null }[] } = {},
): Promise<Map<string, ProposalAccess>> {
  const result = new Map<string, ProposalAccess>();
  const valid = people.filter((person) => isIdString(person.id));
  if (!isIdString(proposalId) || valid.length === 0) return result;
  const proposal = await models.Proposal.findById(new Types.ObjectId(proposalId)).lean();
  if (!proposal) return result;
  const userIds = [...new Set(valid.map((person) => person.id))].map((id) => new Types.ObjectId(id));
  const agencies = [...new Set(proposal.pis.map((pi) => pi.agency))];
  const [call, memberships, conflicts, assignments, reviews, finalised] = await Promise.all([
    models.Call.findById(proposal.callId).lean(),
    known.callMemberships
      ? known.callMemberships.filter((row) => String(row.callId) === String(proposal.callId))
      : models.Membership.find({ callId: proposal.callId, userId: { $in: userIds } }).lean(),
    models.Conflict.find({ proposalId: proposal._id, userId: { $in: userIds }, status: { $ne: 'dismissed' } }, { userId: 1 }).lean(),
    models.Assignment.find({ proposalId: proposal._id, reviewerId: { $in: userIds } }, { reviewerId: 1, rapporteur: 1 }).lean(),
    models.Review.find({ proposalId: proposal._id, reviewerId: { $in: userIds } }, { reviewerId: 1, status: 1 }).lean(),
    isProposalFinalised(models, proposal._id, agencies),
  ]);
  if (!call) return result;
  // First row per person, as findOne would give (each pair is unique by index anyway).
  const firstBy = <T>(rows: T[], key: (row: T) => unknown) => {
    const map = new Map<string, T>();
    for (const row of rows) if (!map.has(String(key(row)))) map.set(String(key(row)), row);
    return map;
  };
  const membershipOf = firstBy(memberships, (row) => row.userId);
  const conflictOf = firstBy(conflicts, (row) => row.userId);
  const assignmentOf = firstBy(assignments, (row) => row.reviewerId);
  const reviewOf = firstBy(reviews, (row) => row.reviewerId);
  for (const person of valid) {
    const id = person.id.toLowerCase();
    result.set(
      person.id,
      buildProposalAccess(person, {
        call,
        proposal,
        agencies,
        membership: membershipOf.get(id) ?? null,
        conflict: conflictOf.get(id) ?? null,
        assignment: assignmentOf.get(id) ?? null,
        review: reviewOf.get(id) ?? null,
        finalised,
      }),
    );
  }
  return result;
}
