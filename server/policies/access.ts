import type { Phase, Role } from '../../shared/enums.js';

/**
 * What a policy needs to know to decide, loaded once per request/socket event/connection by
 * `commands/access/loadAccess.ts`. Policies are pure functions of these facts.
 */
export interface CallAccess {
  user: { id: string; isAdmin: boolean };
  call: {
    id: string;
    phase: Phase;
    agencies: readonly string[];
  };
  /** The person's role in this call, or null when they have none (then they see nothing of it). */
  membership: { role: Role; agency?: string } | null;
}

export interface ProposalAccess extends CallAccess {
  proposal: { id: string; agencies: readonly string[] };
  /**
   * A conflict of interest that is declared, confirmed, or proposed automatically and not yet
   * dismissed. A conflicted person gets nothing of the proposal, anywhere.
   */
  conflicted: boolean;
  /** Assigned to review this proposal. */
  assigned: boolean;
  rapporteur: boolean;
  /** Their own review of this proposal is submitted. */
  ownReviewSubmitted: boolean;
  /** Every participating agency has signed off the final decision (the report is then frozen). */
  finalised: boolean;
}

export type AnyAccess = CallAccess | ProposalAccess;

export function isProposalAccess(access: AnyAccess): access is ProposalAccess {
  return 'proposal' in access;
}
