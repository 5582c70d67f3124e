import { LoginSchema } from '../../../shared/schemas/auth.js';
import { AssignmentAcceptSchema, AssignmentCreateSchema } from '../../../shared/schemas/assignment.js';
import { CallCreateSchema, CallUpdateSchema, PhaseChangeSchema } from '../../../shared/schemas/call.js';
import { VersionSchema } from '../../../shared/schemas/common.js';
import { CommentCreateSchema, CommentSearchQuerySchema, CommentUpdateSchema } from '../../../shared/schemas/comment.js';
import { ConflictDeclareSchema, ConflictResolveSchema } from '../../../shared/schemas/conflict.js';
import { InvitationCreateSchema } from '../../../shared/schemas/invitation.js';
import { MembershipSchema, PersonUpdateSchema } from '../../../shared/schemas/person.js';
import { ProposalCreateSchema, ProposalUpdateSchema } from '../../../shared/schemas/proposal.js';
import { InvitationAcceptBodySchema } from '../../commands/people/invitations.js';
import { PasswordChangeSchema } from '../../commands/people/profile.js';
import { registerRoutes } from './registry.js';

/*
 * Descriptions of the routes whose files do not register themselves (auth, calls, people,
 * proposals, conflicts, assignments, comments). Each entry is one registerRoutes call's worth; a route file
 * may take its entries over by calling registerRoutes itself (same method and path replace these).
 * Body schemas mirror the routes' own: the shared schema, or it plus a required `version`.
 */

registerRoutes(
  { method: 'post', path: '/auth/login', tag: 'auth', summary: 'Sign in (sets the session cookie)', public: true, body: { name: 'Login', schema: LoginSchema }, response: { description: '`{ user }`' } },
  { method: 'post', path: '/auth/logout', tag: 'auth', summary: 'Sign out', public: true, status: 204, response: { description: 'Signed out' } },
  { method: 'get', path: '/me', tag: 'people', summary: 'The signed-in person', response: { description: '`{ user }`' } },
  { method: 'patch', path: '/me', tag: 'people', summary: 'Update my profile', body: { name: 'PersonUpdate', schema: PersonUpdateSchema }, response: { description: '`{ user }`' } },
  { method: 'post', path: '/me/password', tag: 'people', summary: 'Change my password', body: { name: 'PasswordChange', schema: PasswordChangeSchema }, status: 204, response: { description: 'Changed' } },

  { method: 'get', path: '/calls', tag: 'calls', summary: 'Calls I have a role in, with my to-do counts', response: { description: '`{ calls }`' } },
  { method: 'post', path: '/calls', tag: 'calls', summary: 'Create a call (administrators)', status: 201, body: { name: 'CallCreate', schema: CallCreateSchema }, response: { description: '`{ call }`' } },
  { method: 'get', path: '/calls/:callId', tag: 'calls', summary: 'A call with my role and allowed actions', response: { description: '`{ call }`' } },
  { method: 'patch', path: '/calls/:callId', tag: 'calls', summary: 'Update a call', body: { name: 'CallPatch', schema: CallUpdateSchema.safeExtend({ version: VersionSchema }) }, response: { description: '`{ call }`' } },
  { method: 'post', path: '/calls/:callId/phase', tag: 'calls', summary: 'Move the call to another phase', body: { name: 'PhaseChange', schema: PhaseChangeSchema }, response: { description: '`{ call }`' } },

  { method: 'post', path: '/calls/:callId/invitations', tag: 'people', summary: 'Invite someone to a role in the call', status: 201, body: { name: 'InvitationCreate', schema: InvitationCreateSchema }, response: { description: '`{ invitation, link }`' } },
  { method: 'get', path: '/invitations/:token', tag: 'people', summary: 'An invitation, as its link shows it', public: true, response: { description: '`{ invitation }`' } },
  { method: 'post', path: '/invitations/:token/accept', tag: 'people', summary: 'Accept an invitation (creates the account and signs in)', public: true, body: { name: 'InvitationAccept', schema: InvitationAcceptBodySchema }, response: { description: '`{ user, callId }`' } },
  { method: 'get', path: '/calls/:callId/members', tag: 'people', summary: 'Members of the call and their roles', response: { description: '`{ members }`' } },
  { method: 'put', path: '/calls/:callId/members', tag: 'people', summary: "Set a person's role in the call", description: '201 when the person is new to the call, 200 when their role changes.', body: { name: 'Membership', schema: MembershipSchema }, response: { description: '`{ member }`' } },
  { method: 'delete', path: '/calls/:callId/members/:userId', tag: 'people', summary: 'Remove a person from the call', status: 204, response: { description: 'Removed' } },

  { method: 'post', path: '/calls/:callId/proposals', tag: 'proposals', summary: 'Add a proposal (setup phase)', status: 201, body: { name: 'ProposalCreate', schema: ProposalCreateSchema }, response: { description: '`{ proposal }`' } },
  { method: 'get', path: '/calls/:callId/proposals', tag: 'proposals', summary: 'Proposals of the call I may see (conflicted ones left out)', response: { description: '`{ proposals }`' } },
  { method: 'get', path: '/proposals/:proposalId', tag: 'proposals', summary: 'A proposal', response: { description: '`{ proposal }`' } },
  { method: 'patch', path: '/proposals/:proposalId', tag: 'proposals', summary: 'Update a proposal (setup phase)', body: { name: 'ProposalPatch', schema: ProposalUpdateSchema.safeExtend({ version: VersionSchema }) }, response: { description: '`{ proposal }`' } },

  { method: 'post', path: '/conflicts', tag: 'conflicts', summary: 'Declare a conflict of interest', status: 201, body: { name: 'ConflictDeclare', schema: ConflictDeclareSchema }, response: { description: '`{ conflict }`' } },
  { method: 'get', path: '/calls/:callId/conflicts', tag: 'conflicts', summary: 'Conflicts in the call (staff: all; others: their own)', response: { description: '`{ conflicts }`' } },
  { method: 'patch', path: '/conflicts/:conflictId', tag: 'conflicts', summary: 'Confirm or dismiss a conflict (staff)', body: { name: 'ConflictResolve', schema: ConflictResolveSchema }, response: { description: '`{ conflict }`' } },

  { method: 'post', path: '/calls/:callId/assignments', tag: 'assignments', summary: 'Assign a reviewer to a proposal', status: 201, body: { name: 'AssignmentCreate', schema: AssignmentCreateSchema }, response: { description: '`{ assignment }`' } },
  { method: 'get', path: '/calls/:callId/assignments', tag: 'assignments', summary: 'Assignments in the call', response: { description: '`{ assignments }`' } },
  { method: 'delete', path: '/assignments/:assignmentId', tag: 'assignments', summary: 'Remove an assignment', status: 204, response: { description: 'Removed' } },
  { method: 'post', path: '/assignments/:assignmentId/accept', tag: 'assignments', summary: 'Accept an assignment, certifying no conflict', body: { name: 'AssignmentAccept', schema: AssignmentAcceptSchema }, response: { description: '`{ assignment }`' } },

  { method: 'get', path: '/proposals/:proposalId/comments', tag: 'comments', summary: 'Comment threads on a proposal', response: { description: 'Threads and unread state' } },
  { method: 'post', path: '/proposals/:proposalId/comments', tag: 'comments', summary: 'Comment, or reply to a thread', status: 201, body: { name: 'CommentCreate', schema: CommentCreateSchema }, response: { description: '`{ comment }`' } },
  { method: 'post', path: '/proposals/:proposalId/comments/read', tag: 'comments', summary: "Mark the proposal's comments read" },
  { method: 'patch', path: '/comments/:commentId', tag: 'comments', summary: 'Edit my comment', body: { name: 'CommentUpdate', schema: CommentUpdateSchema }, response: { description: '`{ comment }`' } },
  { method: 'delete', path: '/comments/:commentId', tag: 'comments', summary: 'Delete my comment (kept as a tombstone)', response: { description: '`{ comment }`' } },
  { method: 'post', path: '/comments/:commentId/resolve', tag: 'comments', summary: 'Resolve a thread', response: { description: '`{ comment }`' } },
  { method: 'post', path: '/comments/:commentId/reopen', tag: 'comments', summary: 'Reopen a thread', response: { description: '`{ comment }`' } },
  { method: 'get', path: '/calls/:callId/comments/search', tag: 'comments', summary: 'Search comments in the call', query: CommentSearchQuerySchema, response: { description: '`{ comments }`' } },
  { method: 'get', path: '/calls/:callId/comments/unread', tag: 'comments', summary: 'Unread comment counts per proposal', response: { description: '`{ unread }`' } },
);
