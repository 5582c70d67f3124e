/**
 * Collects what is pushed during one event-loop turn and hands it to `flush` in one call, after the
 * turn's timers have run (setImmediate): save queues and sign-off re-checks due at the same moment
 * (their timers share a grid, timerGrid.ts) then reach the database as one request.
 */
export function perTurn<T>(flush: (items: T[]) => void): (item: T) => void {
  let pending: T[] = [];
  let scheduled = false;
  return (item) => {
    pending.push(item);
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      const items = pending;
      pending = [];
      flush(items);
    });
  };
}
