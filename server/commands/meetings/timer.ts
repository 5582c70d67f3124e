import type { Types } from 'mongoose';

/** An item's timer as stored: remaining time when last set, and since when it runs (null: paused). */
export interface StoredTimer {
  proposalId: Types.ObjectId;
  durationMs: number;
  remainingMs: number;
  runningSince: Date | null;
}

/** Milliseconds left at `now`: the stored remainder minus the time run since, never below zero. */
export function remainingAt(timer: StoredTimer, now: Date): number {
  if (!timer.runningSince) return timer.remainingMs;
  return Math.max(0, timer.remainingMs - (now.getTime() - timer.runningSince.getTime()));
}

/**
 * Starts (or resumes) a timer. A duration restarts it from that duration; without one a paused
 * timer resumes where it stopped and a missing one starts from `defaultMs`.
 */
export function startTimer(
  timer: StoredTimer | undefined,
  proposalId: Types.ObjectId,
  now: Date,
  durationMs: number | undefined,
  defaultMs: number,
): StoredTimer {
  if (durationMs !== undefined || !timer) {
    const ms = durationMs ?? defaultMs;
    return { proposalId, durationMs: ms, remainingMs: ms, runningSince: now };
  }
  if (timer.runningSince) return timer;
  return { ...timer, runningSince: now };
}

/** Pauses a timer, keeping what was left at `now`. */
export function pauseTimer(timer: StoredTimer, now: Date): StoredTimer {
  return { ...timer, remainingMs: remainingAt(timer, now), runningSince: null };
}

/** Sets a timer back to its full duration (or a new one), paused. */
export function resetTimer(
  timer: StoredTimer | undefined,
  proposalId: Types.ObjectId,
  durationMs: number | undefined,
  defaultMs: number,
): StoredTimer {
  const ms = durationMs ?? timer?.durationMs ?? defaultMs;
  return { proposalId, durationMs: ms, remainingMs: ms, runningSince: null };
}
