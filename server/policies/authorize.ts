import type { PolicyAction } from '../../shared/policyActions.js';
import { POLICY_ACTIONS } from '../../shared/policyActions.js';
import { ForbiddenError, NotFoundError } from '../errors.js';
import { isProposalAccess, type AnyAccess, type CallAccess, type ProposalAccess } from './access.js';
import { callPolicy } from './call.js';
import { proposalPolicy } from './proposal.js';
import { isMember } from './roles.js';

/**
 * The one door every REST route, socket event and collaboration connection goes through.
 * Call actions take a CallAccess; proposal actions a ProposalAccess.
 */
export function can(access: AnyAccess, action: PolicyAction): boolean {
  if (action in callPolicy) return callPolicy[action as keyof typeof callPolicy](access as CallAccess);
  if (action in proposalPolicy) {
    if (!isProposalAccess(access)) throw new Error(`policy ${action} needs a proposal`);
    return proposalPolicy[action as keyof typeof proposalPolicy](access);
  }
  throw new Error(`no policy for ${action}`);
}

/**
 * Throws unless `can`. People outside the call and people with a conflict get 404, so they learn
 * nothing about what exists; everyone else gets 403.
 * @throws NotFoundError, ForbiddenError
 */
export function authorize(access: AnyAccess, action: PolicyAction): void {
  if (can(access, action)) return;
  if (!isMember(access)) throw new NotFoundError();
  if (isProposalAccess(access) && access.conflicted) throw new NotFoundError();
  throw new ForbiddenError();
}

/** Every action the person may take on this call or proposal, for the client to show or hide controls. */
export function allowedActions(access: AnyAccess): PolicyAction[] {
  return POLICY_ACTIONS.filter((action) => {
    if (action in proposalPolicy && !isProposalAccess(access)) return false;
    if (!(action in callPolicy) && !(action in proposalPolicy)) return false;
    return can(access, action);
  });
}

export type { CallAccess, ProposalAccess };
