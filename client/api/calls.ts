import type { CallCreateInput, CallUpdateInput, PhaseChangeInput } from '../../shared/schemas/call';
import type { ProposalCreateInput } from '../../shared/schemas/proposal';
import type { AssignmentCreateInput } from '../../shared/schemas/assignment';
import type { ConflictDeclareInput, ConflictResolveInput } from '../../shared/schemas/conflict';
import type { InvitationCreateInput } from '../../shared/schemas/invitation';
import type { MembershipInput } from '../../shared/schemas/person';
import type {
  AssignmentDto,
  AuditEntryDto,
  CallDto,
  CallReconciliationDto,
  CallSummaryDto,
  ConflictDto,
  InvitationDto,
  MemberDto,
  ProposalDto,
  ProposalSummaryDto,
  ReviewerLoadDto,
} from './dto';
import { api, query } from './http';

const call = (id: string) => `/calls/${encodeURIComponent(id)}`;

export const fetchCalls = () => api<{ calls: CallSummaryDto[] }>('GET', '/calls');
/** Creates a call (platform administrators). @throws ApiRequestError `validation` with `fields` keyed by path (`agencies.1.code`). */
export const createCall = (input: CallCreateInput) => api<{ call: CallDto }>('POST', '/calls', input);
export const fetchCall = (id: string) => api<{ call: CallDto }>('GET', call(id));
export const updateCall = (id: string, input: CallUpdateInput & { version: number }) =>
  api<{ call: CallDto }>('PATCH', call(id), input);
export const changePhase = (id: string, input: PhaseChangeInput & { version?: number }) =>
  api<{ call: CallDto }>('POST', `${call(id)}/phase`, input);

export const fetchProposals = (id: string) => api<{ proposals: ProposalSummaryDto[] }>('GET', `${call(id)}/proposals`);
/** Registers a proposal in a call in setup. @throws ApiRequestError `validation` / `budget_*` / `period_out_of_range` with `fields`. */
export const createProposal = (id: string, input: ProposalCreateInput) =>
  api<{ proposal: ProposalDto }>('POST', `${call(id)}/proposals`, input);
/** The heat map's figures for every proposal whose reconciliation I may read (one request for the whole call). */
export const fetchCallReconciliation = (id: string) =>
  api<{ reconciliation: CallReconciliationDto }>('GET', `${call(id)}/reconciliation`);

export const fetchMembers = (id: string) =>
  api<{ members: MemberDto[]; invitations: InvitationDto[] | null }>('GET', `${call(id)}/members`);
export const putMember = (id: string, input: MembershipInput) => api<{ member: MemberDto }>('PUT', `${call(id)}/members`, input);
export const removeMember = (id: string, userId: string) =>
  api<void>('DELETE', `${call(id)}/members/${encodeURIComponent(userId)}`);
/** Creates an invitation; the answer carries the accept link (there is no mail server). */
export const createInvitation = (id: string, input: InvitationCreateInput) =>
  api<{ invitation: InvitationDto; link: string }>('POST', `${call(id)}/invitations`, input);

export const fetchAssignments = (id: string) =>
  api<{ assignments: AssignmentDto[]; load: ReviewerLoadDto[] | null }>('GET', `${call(id)}/assignments`);
export const createAssignment = (id: string, input: AssignmentCreateInput) =>
  api<{ assignment: AssignmentDto }>('POST', `${call(id)}/assignments`, input);
export const removeAssignment = (assignmentId: string) => api<void>('DELETE', `/assignments/${encodeURIComponent(assignmentId)}`);
/** Accepting certifies having no conflict with the proposal. */
export const acceptAssignment = (assignmentId: string) =>
  api<{ assignment: AssignmentDto }>('POST', `/assignments/${encodeURIComponent(assignmentId)}/accept`, { certifyNoConflict: true });

export const fetchConflicts = (id: string) => api<{ conflicts: ConflictDto[] }>('GET', `${call(id)}/conflicts`);
export const declareConflict = (input: ConflictDeclareInput) => api<{ conflict: ConflictDto }>('POST', '/conflicts', input);
export const resolveConflict = (conflictId: string, input: ConflictResolveInput & { version?: number }) =>
  api<{ conflict: ConflictDto }>('PATCH', `/conflicts/${encodeURIComponent(conflictId)}`, input);

/** Filters of the audit log (all optional; instants are ISO strings). */
export interface AuditFilters {
  action?: string;
  proposalId?: string;
  actorId?: string;
  from?: string;
  to?: string;
  offset?: number;
  limit?: number;
}
export const fetchAudit = (id: string, filters: AuditFilters) =>
  api<{ entries: AuditEntryDto[]; nextOffset: number | null }>('GET', `${call(id)}/audit${query({ ...filters })}`);

/** Download addresses of the exports (plain links: the browser saves the file). */
export const exportUrls = (id: string) => ({
  scoresCsv: `/api${call(id)}/export/scores.csv`,
  rankingCsv: `/api${call(id)}/export/ranking.csv`,
  callJson: `/api${call(id)}/export/call.json`,
});
