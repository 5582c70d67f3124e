import type { PolicyAction } from '../../shared/policyActions.js';
import type { CallAccess } from './access.js';
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
  'meeting:read': isMember,
  'meeting:moderate': isModerator,
  'meeting:participate': (a) => isMember(a) && roleOf(a) !== 'observer',
  'audit:read': (a) => isStaff(a),
  'export:read': (a) => isStaff(a),
};
