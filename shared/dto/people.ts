import type { ConflictStatus, ConflictType, Language, Role } from '../enums';
import type { BilingualName, LocalizedText } from '../schemas/common';

/** Response shapes of the people, invitation, assignment and conflict routes (server/presenters). */

/** A member of a call; e-mail and institution only for staff. */
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

/** An invitation as staff see it (never the token). */
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

/** What the public invitation page shows before accepting. */
export interface InvitationPreviewDto {
  email: string;
  role: Role;
  agency: string | null;
  language: Language;
  expiresAt: string;
  call: { id: string; title: BilingualName };
  accountExists: boolean;
}

/** A reviewer's assignment to a proposal. */
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

/** One reviewer's load in a call. */
export interface ReviewerLoadDto {
  reviewerId: string;
  name: string;
  agency: string | null;
  assigned: number;
  accepted: number;
}

/** A conflict of interest. */
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
