import { EventEmitter } from 'node:events';

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

type Listener = (change: AccessChange) => void;

// Process-wide, like session revocations (revocations.ts): the commands that change access and the
// servers that hold live connections are built separately, and a signal is only a hint. Listeners
// re-check the connections it names against the database, so a stray hint costs a lookup, never access.
const signals = new EventEmitter();
signals.setMaxListeners(0);

/** Tells every live-connection server of this process (and, through them, the other processes) to re-check. */
export function announceAccessChange(change: AccessChange): void {
  signals.emit('changed', change);
}

/** Subscribes to access changes; returns the unsubscribe function. */
export function onAccessChange(listener: Listener): () => void {
  signals.on('changed', listener);
  return () => {
    signals.off('changed', listener);
  };
}
