import type { ProposalDto, ProposalSummaryDto } from '../../shared/dto/proposal.js';
import type { PolicyAction } from '../../shared/policyActions.js';

type Localized = { en?: string | null; ja?: string | null } | null | undefined;

/** A proposal as stored (lean). */
export interface ProposalDoc {
  _id: unknown;
  callId: unknown;
  ref: string;
  title?: Localized;
  abstract?: Localized;
  pis: { name: string; institution: string; email: string; agency: string }[];
  budget: unknown;
  periodMonths: number;
  rapporteurId?: unknown;
  version?: number | null;
  createdAt?: Date;
  updatedAt?: Date;
}

/** The requester's own relation to a proposal: their assignment and the state of their review. */
export interface MyProposalState {
  assignment: { id: string; rapporteur: boolean; acceptedAt: Date | null } | null;
  reviewStatus: 'draft' | 'submitted' | null;
}

/** Counts only staff see in lists. */
export interface ProposalCounts {
  assignments: number;
  acceptedAssignments: number;
  submittedReviews: number;
}

function localized(value: Localized): { en?: string; ja?: string } {
  return { ...(value?.en ? { en: value.en } : {}), ...(value?.ja ? { ja: value.ja } : {}) };
}

function presentMine(me: MyProposalState) {
  return {
    assignment: me.assignment
      ? { id: me.assignment.id, rapporteur: me.assignment.rapporteur, acceptedAt: me.assignment.acceptedAt?.toISOString() ?? null }
      : null,
    reviewStatus: me.reviewStatus,
  };
}

/** One row of the call's proposal table (no PI e-mails, no budget). */
export function presentProposalSummary(proposal: ProposalDoc, extra: { agencies: string[]; me: MyProposalState; counts?: ProposalCounts }): ProposalSummaryDto {
  return {
    id: String(proposal._id),
    ref: proposal.ref,
    title: localized(proposal.title),
    agencies: extra.agencies,
    pis: proposal.pis.map((pi) => ({ name: pi.name, institution: pi.institution, agency: pi.agency })),
    periodMonths: proposal.periodMonths,
    rapporteurId: proposal.rapporteurId ? String(proposal.rapporteurId) : null,
    version: proposal.version ?? 0,
    me: presentMine(extra.me),
    ...(extra.counts ? { counts: extra.counts } : {}),
  };
}

/** A whole proposal, with what the requester may do with it. */
export function presentProposal(
  proposal: ProposalDoc,
  extra: { agencies: string[]; me: MyProposalState; counts?: ProposalCounts; allowed: PolicyAction[] },
): ProposalDto {
  return {
    id: String(proposal._id),
    callId: String(proposal.callId),
    ref: proposal.ref,
    title: localized(proposal.title),
    abstract: localized(proposal.abstract),
    agencies: extra.agencies,
    pis: proposal.pis.map((pi) => ({ name: pi.name, institution: pi.institution, email: pi.email, agency: pi.agency })),
    budget: proposal.budget as Record<string, number[]>,
    periodMonths: proposal.periodMonths,
    rapporteurId: proposal.rapporteurId ? String(proposal.rapporteurId) : null,
    version: proposal.version ?? 0,
    createdAt: proposal.createdAt?.toISOString() ?? null,
    updatedAt: proposal.updatedAt?.toISOString() ?? null,
    me: { ...presentMine(extra.me), allowed: extra.allowed },
    ...(extra.counts ? { counts: extra.counts } : {}),
  };
}
