import { EventEmitter } from 'node:events';

/** Someone's sessions were revoked: sockets and collaboration connections of `userId` must re-check theirs. */
export interface SessionRevocation {
  userId: string;
  /** Set when the signal was relayed from another process (so it is not relayed again). */
  remote?: boolean;
}

type Listener = (revocation: SessionRevocation) => void;

// Process-wide on purpose: the HTTP routes that revoke and the socket and collaboration servers that
// hold live connections are built separately, and a signal is only a hint. Every listener re-checks
// the connections it holds against its own database, so a hint from another server in the same
// process (tests run several) costs one lookup and never closes a live session.
const signals = new EventEmitter();
signals.setMaxListeners(0);

/** Tells every live-connection server of this process (and, through them, the other processes) to re-check `userId`. */
export function announceRevocation(revocation: SessionRevocation): void {
  signals.emit('revoked', revocation);
}

/** Subscribes to revocations; returns the unsubscribe function. */
export function onRevocation(listener: Listener): () => void {
  signals.on('revoked', listener);
  return () => {
    signals.off('revoked', listener);
  };
}
