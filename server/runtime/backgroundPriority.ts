import { getPriority, setPriority } from 'node:os';
import { readdirSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';
import type { Logger } from 'pino';

/** What {@link lowerBackgroundThreads} did. */
export interface BackgroundPriorityResult {
  /** Threads of this process other than the event loop's. */
  threads: number;
  /** Of those, how many now run at the lower priority (already lower ones are left as they were). */
  lowered: number;
  /** Why nothing was done, when nothing was. */
  skipped?: 'disabled' | 'not-linux' | 'not-main-thread';
}

/**
 * Gives every thread of this process except the event loop's a lower CPU priority (a higher nice
 * value): V8's helper threads (concurrent garbage collection, optimizing compiler), the embedded
 * database's worker and libuv's file-system pool. Their work tolerates a few milliseconds of delay;
 * a keystroke waiting to be relayed or a meeting action waiting to be broadcast does not. The
 * fan-out bench on two cores traced the latency tail to moments when these threads ran on both
 * cores while the event loop (or a client) waited for one (`perf sched`: scheduling delays of
 * 3–8 ms). When the CPU is free they run as before; only under contention does the event loop go first.
 *
 * Linux only: there a nice value belongs to a thread (NPTL), so `setpriority` on a thread id
 * changes that thread alone. Elsewhere it would renice the whole process, so nothing is done.
 * Threads created later inherit the priority of the thread that creates them: call this once the
 * database worker and the file-system pool exist (after the database has started).
 * Never raises a priority, and a thread that ended meanwhile is skipped.
 */
export function lowerBackgroundThreads(nice: number, logger?: Logger): BackgroundPriorityResult {
  if (nice <= 0) return { threads: 0, lowered: 0, skipped: 'disabled' };
  if (process.platform !== 'linux') return { threads: 0, lowered: 0, skipped: 'not-linux' };
  // In a worker thread (a test runner's pool, say) process.pid's thread is not ours to lower.
  if (!isMainThread) return { threads: 0, lowered: 0, skipped: 'not-main-thread' };
  let threads = 0;
  let lowered = 0;
  for (const entry of readdirSync('/proc/self/task')) {
    const tid = Number(entry);
    if (!Number.isInteger(tid) || tid === process.pid) continue;
    threads += 1;
    try {
      if (getPriority(tid) >= nice) continue;
      setPriority(tid, nice);
      lowered += 1;
    } catch (err) {
      // ESRCH: the thread ended between listing and renicing. Anything else is worth a line.
      if ((err as { info?: { code?: string } }).info?.code !== 'ESRCH') logger?.warn({ err, tid }, 'could not lower a background thread priority');
    }
  }
  logger?.debug({ threads, lowered, nice }, 'background threads run at a lower CPU priority than the event loop');
  return { threads, lowered };
}
