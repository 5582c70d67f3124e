import type { AssignmentDto, ReviewerLoadDto } from '../../shared/dto/people.js';

type Localized = { en?: string | null; ja?: string | null } | null | undefined;

/** An assignment as stored (lean). */
export interface AssignmentDoc {
  _id: unknown;
  callId: unknown;
  proposalId: unknown;
  reviewerId: unknown;
  agency: string;
  rapporteur?: boolean | null;
  acceptedAt?: Date | null;
  noConflictCertifiedAt?: Date | null;
  assignedBy?: unknown;
  createdAt?: Date;
}

const iso = (date?: Date | null) => (date ? date.toISOString() : null);

/** A reviewer's assignment to a proposal, named by the proposal's ref and title and the reviewer's name. */
export function presentAssignment(
  assignment: AssignmentDoc,
  extra: { proposal?: { ref: string; title?: Localized } | null; reviewer?: { name: string } | null },
): AssignmentDto {
  const title = extra.proposal?.title;
  return {
    id: String(assignment._id),
    callId: String(assignment.callId),
    proposalId: String(assignment.proposalId),
    proposal: extra.proposal
      ? { ref: extra.proposal.ref, title: { ...(title?.en ? { en: title.en } : {}), ...(title?.ja ? { ja: title.ja } : {}) } }
      : null,
    reviewerId: String(assignment.reviewerId),
    reviewer: extra.reviewer ? { name: extra.reviewer.name } : null,
    agency: assignment.agency,
    rapporteur: Boolean(assignment.rapporteur),
    acceptedAt: iso(assignment.acceptedAt),
    noConflictCertifiedAt: iso(assignment.noConflictCertifiedAt),
    assignedBy: assignment.assignedBy ? String(assignment.assignedBy) : null,
    createdAt: iso(assignment.createdAt),
  };
}

/** One reviewer's load in a call: how many proposals they are assigned, and how many they accepted. */
export function presentReviewerLoad(entry: { userId: string; name: string; agency: string | null; assigned: number; accepted: number }): ReviewerLoadDto {
  return { reviewerId: entry.userId, name: entry.name, agency: entry.agency, assigned: entry.assigned, accepted: entry.accepted };
}
