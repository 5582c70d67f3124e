import { processSignal } from '../processSignal.js';

/**
 * Who may do what changed for some live connections: a conflict declared or resolved, a phase
 * change, a member added, changed or removed, a decision finally signed off or a sign-off voided.
 * Narrowed by what is known: a proposal's connections, or a call's; only one person's, if set.
 */
export interface AccessChange {
  callId: string;
  proposalId?: string;
  userId?: string;
  /** Set when the signal was relayed from another process (so it is not relayed again). */
  remote?: boolean;
}

const accessChanges = processSignal<AccessChange>();

/** Tells every live-connection server of this process (and, through them, the other processes) to re-check. */
export const announceAccessChange = accessChanges.announce;

/** Subscribes to access changes; returns the unsubscribe function. */
export const onAccessChange = accessChanges.subscribe;

/** Access changes announced in this process so far (see ProcessSignal.count). */
export const accessChangesSoFar = accessChanges.count;
