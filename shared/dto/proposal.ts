import type { ReviewStatus } from '../enums';
import type { PolicyAction } from '../policyActions';
import type { LocalizedText } from '../schemas/common';

/** Response shapes of the proposal routes (server/presenters/proposal.ts). */

/** The requester's own relation to a proposal. */
export interface MyProposalStateDto {
  assignment: { id: string; rapporteur: boolean; acceptedAt: string | null } | null;
  reviewStatus: ReviewStatus | null;
}

/** Counts only staff see. */
export interface ProposalCountsDto {
  assignments: number;
  acceptedAssignments: number;
  submittedReviews: number;
}

/** A row of `GET /api/calls/:id/proposals` (no PI e-mails, no budget). */
export interface ProposalSummaryDto {
  id: string;
  ref: string;
  title: LocalizedText;
  agencies: string[];
  pis: { name: string; institution: string; agency: string }[];
  periodMonths: number;
  rapporteurId: string | null;
  version: number;
  me: MyProposalStateDto;
  counts?: ProposalCountsDto;
}

/** `GET /api/proposals/:id`. */
export interface ProposalDto extends Omit<ProposalSummaryDto, 'pis' | 'me'> {
  callId: string;
  abstract: LocalizedText;
  pis: { name: string; institution: string; email: string; agency: string }[];
  budget: Record<string, number[]>;
  createdAt: string | null;
  updatedAt: string | null;
  me: MyProposalStateDto & { allowed: PolicyAction[] };
}
