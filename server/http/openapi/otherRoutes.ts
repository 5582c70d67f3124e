import { LoginSchema } from '../../../shared/schemas/auth.js';
import { AssignmentAcceptSchema, AssignmentCreateSchema } from '../../../shared/schemas/assignment.js';
import { CallCreateSchema, CallUpdateSchema, PhaseChangeSchema } from '../../../shared/schemas/call.js';
import { VersionSchema } from '../../../shared/schemas/common.js';
import { ConflictDeclareSchema, ConflictResolveSchema } from '../../../shared/schemas/conflict.js';
import { InvitationCreateSchema } from '../../../shared/schemas/invitation.js';
import { MembershipSchema, PersonUpdateSchema } from '../../../shared/schemas/person.js';
import { ProposalCreateSchema, ProposalUpdateSchema } from '../../../shared/schemas/proposal.js';
import { InvitationAcceptBodySchema } from '../../commands/people/invitations.js';
import { PasswordChangeSchema } from '../../commands/people/profile.js';
import { registerRoutes } from './registry.js';

/*
 * Descriptions of the routes whose files do not register themselves (auth, calls, people,
 * proposals, conflicts, assignments). Each entry is one registerRoutes call's worth; a route file
 * may take its entries over by calling registerRoutes itself (same method and path replace these).
 * Body schemas mirror the routes' own: shared schema plus an optional or required `version`.
 */

registerRoutes(
  { method: 'post', path: '/auth/login', tag: 'auth', summary: 'Sign in (sets the session cookie)', public: true, body: { name: 'Login', schema: LoginSchema }, response: { description: '`{ user }`' } },
  { method: 'post', path: '/auth/logout', tag: 'auth', summary: 'Sign out', public: true, status: 204, response: { description: 'Signed out' } },
  { method: 'get', path: '/me', tag: 'people', summary: 'The signed-in person', response: { description: '`{ user }`' } },
  { method: 'patch', path: '/me', tag: 'people', summary: 'Update my profile', body: { name: 'PersonUpdate', schema: PersonUpdateSchema } },
  { method: 'post', path: '/me/password', tag: 'people', summary: 'Change my password', body: { name: 'PasswordChange', schema: PasswordChangeSchema } },

  { method: 'get', path: '/calls', tag: 'calls', summary: 'Calls I have a role in, with my to-do counts', response: { description: '`{ calls }`' } },
  { method: 'post', path: '/calls', tag: 'calls', summary: 'Create a call (administrators)', status: 201, body: { name: 'CallCreate', schema: CallCreateSchema }, response: { description: '`{ call }`' } },
  { method: 'get', path: '/calls/:callId', tag: 'calls', summary: 'A call with my role and allowed actions', response: { description: '`{ call }`' } },
  { method: 'patch', path: '/calls/:callId', tag: 'calls', summary: 'Update a call', body: { name: 'CallPatch', schema: CallUpdateSchema.safeExtend({ version: VersionSchema }) }, response: { description: '`{ call }`' } },
  { method: 'post', path: '/calls/:callId/phase', tag: 'calls', summary: 'Move the call to another phase', body: { name: 'PhaseChange', schema: PhaseChangeSchema.extend({ version: VersionSchema.optional() }) }, response: { description: '`{ call }`' } },

  { method: 'post', path: '/calls/:callId/invitations', tag: 'people', summary: 'Invite someone to a role in the call', status: 201, body: { name: 'InvitationCreate', schema: InvitationCreateSchema } },
  { method: 'get', path: '/invitations/:token', tag: 'people', summary: 'An invitation, as its link shows it', public: true },
  { method: 'post', path: '/invitations/:token/accept', tag: 'people', summary: 'Accept an invitation (creates the account and signs in)', public: true, body: { name: 'InvitationAccept', schema: InvitationAcceptBodySchema } },
  { method: 'get', path: '/calls/:callId/members', tag: 'people', summary: 'Members of the call and their roles', response: { description: '`{ members }`' } },
  { method: 'put', path: '/calls/:callId/members', tag: 'people', summary: "Set a person's role in the call", body: { name: 'Membership', schema: MembershipSchema } },
  { method: 'delete', path: '/calls/:callId/members/:userId', tag: 'people', summary: 'Remove a person from the call' },

  { method: 'post', path: '/calls/:callId/proposals', tag: 'proposals', summary: 'Add a proposal (setup phase)', status: 201, body: { name: 'ProposalCreate', schema: ProposalCreateSchema } },
  { method: 'get', path: '/calls/:callId/proposals', tag: 'proposals', summary: 'Proposals of the call I may see (conflicted ones left out)' },
  { method: 'get', path: '/proposals/:proposalId', tag: 'proposals', summary: 'A proposal' },
  { method: 'patch', path: '/proposals/:proposalId', tag: 'proposals', summary: 'Update a proposal (setup phase)', body: { name: 'ProposalPatch', schema: ProposalUpdateSchema.safeExtend({ version: VersionSchema }) } },

  { method: 'post', path: '/conflicts', tag: 'conflicts', summary: 'Declare a conflict of interest', status: 201, body: { name: 'ConflictDeclare', schema: ConflictDeclareSchema } },
  { method: 'get', path: '/calls/:callId/conflicts', tag: 'conflicts', summary: 'Conflicts in the call (staff: all; others: their own)' },
  { method: 'patch', path: '/conflicts/:conflictId', tag: 'conflicts', summary: 'Confirm or dismiss a conflict (staff)', body: { name: 'ConflictResolve', schema: ConflictResolveSchema.extend({ version: VersionSchema.optional() }) } },

  { method: 'post', path: '/calls/:callId/assignments', tag: 'assignments', summary: 'Assign a reviewer to a proposal', status: 201, body: { name: 'AssignmentCreate', schema: AssignmentCreateSchema } },
  { method: 'get', path: '/calls/:callId/assignments', tag: 'assignments', summary: 'Assignments in the call' },
  { method: 'delete', path: '/assignments/:assignmentId', tag: 'assignments', summary: 'Remove an assignment' },
  { method: 'post', path: '/assignments/:assignmentId/accept', tag: 'assignments', summary: 'Accept an assignment, certifying no conflict', body: { name: 'AssignmentAccept', schema: AssignmentAcceptSchema } },
);
