/**
 * One timer per moment for many tasks (the saves of every document of a registry; the report
 * sign-off re-checks). Tasks due at the same wall-clock time (their owners round deadlines to a
 * shared grid) run in the same timer callback, so their database work leaves in the same turn and
 * is batched into one request (insertBatcher.ts, signOffProbe.ts). Separate timers would not line
 * up: Node starts a timer from the loop's cached time, so deadlines computed a few milliseconds
 * apart in busy callbacks fire in different turns.
 */
export class TimerGrid {
  private readonly slots = new Map<number, Set<() => void>>();

  /** Runs `task` at wall-clock time `due` (ms) with every task due then. Returns a cancel function. */
  at(due: number, task: () => void): () => void {
    let slot = this.slots.get(due);
    if (!slot) {
      const tasks = new Set<() => void>();
      slot = tasks;
      this.slots.set(due, tasks);
      setTimeout(() => {
        this.slots.delete(due);
        for (const run of tasks) run();
      }, Math.max(0, due - Date.now()));
    }
    const tasks = slot;
    tasks.add(task);
    return () => void tasks.delete(task);
  }

  /** Moments with tasks waiting (for tests and stats). */
  get pendingSlots(): number {
    return this.slots.size;
  }
}
