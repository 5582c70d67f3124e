import { processSignal } from '../processSignal.js';

/** Someone's sessions were revoked: sockets and collaboration connections of `userId` must re-check theirs. */
export interface SessionRevocation {
  userId: string;
  /** Set when the signal was relayed from another process (so it is not relayed again). */
  remote?: boolean;
}

const revocations = processSignal<SessionRevocation>();

/** Tells every live-connection server of this process (and, through them, the other processes) to re-check `userId`. */
export const announceRevocation = revocations.announce;

/** Subscribes to revocations; returns the unsubscribe function. */
export const onRevocation = revocations.subscribe;
