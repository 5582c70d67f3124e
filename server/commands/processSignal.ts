import { EventEmitter } from 'node:events';

/** A process-wide signal: `announce` reaches every subscriber in this process. */
export interface ProcessSignal<T> {
  announce(value: T): void;
  /** Subscribes; returns the unsubscribe function. */
  subscribe(listener: (value: T) => void): () => void;
  /**
   * How many announcements this process has seen. A check that loads access before it registers
   * the connection compares this before and after: a change announced in between found nothing
   * to re-check, so the check must run again.
   */
  count(): number;
}

/**
 * Process-wide on purpose: the commands that announce (HTTP routes) and the servers that hold live
 * connections are built separately, and tests run several servers in one process. A signal is only
 * a hint: every listener re-checks its own connections against the database, so a hint meant for
 * another server costs a lookup and never grants or withdraws anything by itself.
 */
export function processSignal<T>(): ProcessSignal<T> {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  let announced = 0;
  return {
    announce: (value) => {
      announced += 1;
      emitter.emit('signal', value);
    },
    count: () => announced,
    subscribe(listener) {
      emitter.on('signal', listener);
      return () => void emitter.off('signal', listener);
    },
  };
}
