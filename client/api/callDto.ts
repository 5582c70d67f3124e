import type { ConflictStatus, ConflictType, Language, Phase, ReviewStatus, Role } from '../../shared/enums';
import type { PolicyAction } from '../../shared/policyActions';
import type { Agency, Criterion, PhaseDeadline } from '../../shared/schemas/call';
import type { BilingualName, LocalizedText } from '../../shared/schemas/common';

/** Response shapes of the account, call, proposal and people routes (see server/presenters). */
/** The signed-in person (`GET /api/me`). */
export interface MeDto {
  id: string;
  email: string;
  name: string;
  isAdmin: boolean;
  language: Language;
  timeZone: string;
}

/** The own profile as `PATCH /api/me` answers. */
export interface ProfileDto extends MeDto {
  institution: string | null;
}

export interface ZonedTimeDto {
  timeZone: string;
  local: string;
  offset: string;
}

export interface NextDeadlineDto {
  phase: Phase;
  deadline: string;
  zones: ZonedTimeDto[];
}

/** One row of `GET /api/calls`. */
export interface CallSummaryDto {
  id: string;
  title: BilingualName;
  programme: string;
  phase: Phase;
  agencies: { code: string; name: BilingualName; timeZone: string }[];
  myRole: Role | null;
  nextDeadline: NextDeadlineDto | null;
  todo: { reviewsToSubmit?: number; assignmentsToAccept?: number };
}

/** `GET /api/calls/:id`. */
export interface CallDto {
  id: string;
  title: BilingualName;
  programme: string;
  phase: Phase;
  agencies: Agency[];
  criteria: Criterion[];
  overallThreshold: number | null;
  flagThresholds: { spread: number; agencyGap: number };
  timeZone: string;
  phases: PhaseDeadline[];
  nextDeadline: NextDeadlineDto | null;
  version: number;
  me: { role: Role | null; agency: string | null; allowed: PolicyAction[] };
}

export interface MyProposalStateDto {
  assignment: { id: string; rapporteur: boolean; acceptedAt: string | null } | null;
  reviewStatus: ReviewStatus | null;
}

export interface ProposalCountsDto {
  assignments: number;
  acceptedAssignments: number;
  submittedReviews: number;
}

/** A row of `GET /api/calls/:id/proposals`. */
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

export interface MemberDto {
  userId: string;
  name: string;
  email?: string | null;
  institution?: string | null;
  role: Role;
  agency: string | null;
  timeZone: string | null;
  language: Language | null;
}

export interface InvitationDto {
  id: string;
  callId: string;
  email: string;
  role: Role;
  agency: string | null;
  language: Language;
  expiresAt: string;
  usedAt: string | null;
  createdAt: string | null;
}

export interface InvitationPreviewDto {
  email: string;
  role: Role;
  agency: string | null;
  language: Language;
  expiresAt: string;
  call: { id: string; title: BilingualName };
  accountExists: boolean;
}

export interface AssignmentDto {
  id: string;
  callId: string;
  proposalId: string;
  proposal: { ref: string; title: LocalizedText } | null;
  reviewerId: string;
  reviewer: { name: string } | null;
  agency: string;
  rapporteur: boolean;
  acceptedAt: string | null;
  noConflictCertifiedAt: string | null;
  assignedBy: string | null;
  createdAt: string | null;
}

export interface ReviewerLoadDto {
  reviewerId: string;
  name: string;
  agency: string | null;
  assigned: number;
  accepted: number;
}

export interface ConflictDto {
  id: string;
  callId: string;
  proposalId: string;
  proposal: { ref: string; title: LocalizedText } | null;
  userId: string;
  person: { name: string; email: string; institution: string | null } | null;
  type: ConflictType;
  status: ConflictStatus;
  source: string;
  note: string | null;
  decidedBy: string | null;
  version: number;
  createdAt: string | null;
  updatedAt: string | null;
}

