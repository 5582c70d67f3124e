import type { PolicyAction } from '../../shared/policyActions.js';
import type { ProposalAccess } from './access.js';
import { isCallAdmin, isMember, isModerator, isStaff, roleOf, signingAgency } from './roles.js';

type ProposalAction = Extract<
  PolicyAction,
  | 'proposal:read'
  | 'proposal:update'
  | 'conflict:declare'
  | 'assignment:read'
  | 'assignment:accept'
  | 'review:write'
  | 'review:readOwn'
  | 'review:readAll'
  | 'reconciliation:read'
  | 'consensus:write'
  | 'report:read'
  | 'report:edit'
  | 'comment:read'
  | 'comment:write'
  | 'decision:read'
  | 'decision:write'
  | 'signoff:write'
>;

const afterReview = (a: ProposalAccess) => a.call.phase !== 'setup' && a.call.phase !== 'review';
const discussing = (a: ProposalAccess) => a.call.phase === 'panel' || a.call.phase === 'finalization';
const writer = (a: ProposalAccess) => isMember(a) && roleOf(a) !== 'observer';

/**
 * Proposal-level rules. The first checks everywhere are membership and the conflict of interest:
 * someone without a role in the call, and a conflicted person (whatever their role), are treated
 * as if the proposal did not exist. (Phase-only rules such as "from the panel on" must never open
 * a proposal to people outside its call.)
 */
const rules: Record<ProposalAction, (access: ProposalAccess) => boolean> = {
  'proposal:read': isMember,
  'proposal:update': (a) => (isCallAdmin(a) || isModerator(a)) && a.call.phase === 'setup',
  'conflict:declare': writer,
  'assignment:read': (a) => isStaff(a) || a.assigned,
  'assignment:accept': (a) => roleOf(a) === 'reviewer' && a.assigned,
  // Review edits belong to the review phase; the PO reopens it by moving the call back to review.
  'review:write': (a) => roleOf(a) === 'reviewer' && a.assigned && a.call.phase === 'review',
  'review:readOwn': (a) => roleOf(a) === 'reviewer' && a.assigned,
  // NIH "submit, then read": a reviewer sees the others' reviews only after submitting their own.
  'review:readAll': (a) => isStaff(a) || afterReview(a) || (roleOf(a) === 'reviewer' && a.ownReviewSubmitted),
  'reconciliation:read': (a) => isStaff(a) || afterReview(a) || (roleOf(a) === 'reviewer' && a.ownReviewSubmitted),
  'consensus:write': (a) => !a.finalised && discussing(a) && (isModerator(a) || a.rapporteur),
  'report:read': isMember,
  // The rapporteur drafts from the review phase on (EU practice); everyone on the panel edits in discussion.
  'report:edit': (a) =>
    writer(a) &&
    !a.finalised &&
    (discussing(a) ? isModerator(a) || a.assigned || roleOf(a) === 'reviewer' : a.call.phase === 'review' && a.rapporteur),
  'comment:read': isMember,
  'comment:write': writer,
  'decision:read': (a) => isStaff(a) || roleOf(a) === 'observer' || a.call.phase === 'decided',
  'decision:write': (a) => isModerator(a) && discussing(a),
  'signoff:write': (a) => signingAgency(a) !== null && a.call.phase === 'finalization',
};

export const proposalPolicy: Record<ProposalAction, (access: ProposalAccess) => boolean> = Object.fromEntries(
  Object.entries(rules).map(([action, rule]) => [action, (a: ProposalAccess) => isMember(a) && !a.conflicted && rule(a)]),
) as Record<ProposalAction, (access: ProposalAccess) => boolean>;
