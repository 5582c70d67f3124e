import type { PolicyAction } from '../../shared/policyActions.js';
import { isProposalAccess, type CallAccess } from './access.js';
import { isCallAdmin, isMember, isModerator, isStaff, roleOf } from './roles.js';

type CallAction = Extract<
  PolicyAction,
  | 'call:create'
  | 'call:read'
  | 'call:update'
  | 'call:setPhase'
  | 'call:reopenReview'
  | 'person:invite'
  | 'membership:write'
  | 'proposal:create'
  | 'assignment:write'
  | 'conflict:review'
  | 'ranking:read'
  | 'ranking:write'
  | 'meeting:read'
  | 'meeting:moderate'
  | 'meeting:participate'
  | 'audit:read'
  | 'export:read'
>;

/** The access is for a meeting item the person is conflicted with: they must leave the room for it. */
const conflictedItem = (a: CallAccess) => isProposalAccess(a) && a.conflicted;

/** An FA officer moderates the items whose proposal involves their own agency, and only those. */
const officerOfItem = (a: CallAccess) =>
  roleOf(a) === 'officer' && isProposalAccess(a) && !!a.membership?.agency && a.proposal.agencies.includes(a.membership.agency);

/** Call-level rules. Observers read but never write; people without a role in the call get nothing. */
export const callPolicy: Record<CallAction, (access: CallAccess) => boolean> = {
  'call:create': (a) => a.user.isAdmin,
  'call:read': isMember,
  'call:update': (a) => isCallAdmin(a) || roleOf(a) === 'pd' || roleOf(a) === 'po',
  'call:setPhase': (a) => isCallAdmin(a) || roleOf(a) === 'pd' || roleOf(a) === 'po',
  'call:reopenReview': (a) => roleOf(a) === 'pd' || roleOf(a) === 'po',
  'person:invite': (a) => isCallAdmin(a) || roleOf(a) === 'pd' || roleOf(a) === 'po',
  'membership:write': (a) => isCallAdmin(a) || roleOf(a) === 'pd' || roleOf(a) === 'po',
  'proposal:create': (a) => (isCallAdmin(a) || isModerator(a)) && a.call.phase === 'setup',
  'assignment:write': (a) => isCallAdmin(a) || isModerator(a),
  'conflict:review': (a) => isCallAdmin(a) || isModerator(a),
  // The ranking exposes every proposal's scores; conflicted rows are filtered per person by the presenter.
  'ranking:read': (a) => isStaff(a) || roleOf(a) === 'observer' || (roleOf(a) === 'reviewer' && a.call.phase !== 'review' && a.call.phase !== 'setup'),
  'ranking:write': (a) => isModerator(a) && (a.call.phase === 'panel' || a.call.phase === 'finalization'),
  // Meeting rules take a CallAccess for the meeting as a whole (agenda, hands between items) and a
  // ProposalAccess for one item (its timer, polls, decisions, hands while it is discussed).
  'meeting:read': (a) => isMember(a) && !conflictedItem(a),
  'meeting:moderate': (a) => !conflictedItem(a) && (roleOf(a) === 'pd' || roleOf(a) === 'po' || officerOfItem(a)),
  'meeting:participate': (a) => isMember(a) && roleOf(a) !== 'observer' && !conflictedItem(a),
  'audit:read': (a) => isStaff(a),
  'export:read': (a) => isStaff(a),
};
