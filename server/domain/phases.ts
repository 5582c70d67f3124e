import { PHASES, PHASE_TRANSITIONS, REOPEN_REVIEW_ROLES, type Phase, type Role } from '../../shared/enums';
import type { PhaseDeadline } from '../../shared/schemas/call';
import { DomainError } from './domainError';

/** Whether the phase graph allows `from → to` at all (see PHASE_TRANSITIONS). */
export function canTransition(from: Phase, to: Phase): boolean {
  return PHASE_TRANSITIONS[from].includes(to);
}

/** Whether `from → to` sends the call back to individual review from the panel. */
export function isReopening(from: Phase, to: Phase): boolean {
  return from === 'panel' && to === 'review';
}

/**
 * Checks a phase change requested by someone holding `role` in the call. Forward steps are
 * gated by policy; reopening review from the panel is the PO's (or PD's) call.
 * @throws DomainError `phase_transition_invalid` when the graph has no such edge;
 *   `forbidden` when a role other than PO/PD tries to reopen review.
 */
export function assertTransition(from: Phase, to: Phase, role: Role): void {
  if (!canTransition(from, to)) {
    const allowed = PHASE_TRANSITIONS[from];
    throw new DomainError(
      'phase_transition_invalid',
      `a call in ${from} can move to ${allowed.length ? allowed.join(' or ') : 'no other phase'}, not ${to}`,
      { to: `not allowed from ${from}` },
    );
  }
  if (isReopening(from, to) && !REOPEN_REVIEW_ROLES.includes(role)) {
    throw new DomainError('forbidden', 'only the PO or PD can reopen review from the panel');
  }
}

/** Whether phase `a` is `b` or later in the call's life. */
export function isAtOrAfter(a: Phase, b: Phase): boolean {
  return PHASES.indexOf(a) >= PHASES.indexOf(b);
}

/** The instant the phase ends, or null when the call sets no deadline for it. */
export function deadlineOf(phases: readonly PhaseDeadline[], phase: Phase): Date | null {
  const entry = phases.find((candidate) => candidate.phase === phase);
  return entry ? new Date(entry.deadline) : null;
}

/** Whether `now` is at or past the phase's deadline (false when there is no deadline). */
export function isPastDeadline(phases: readonly PhaseDeadline[], phase: Phase, now: Date): boolean {
  const deadline = deadlineOf(phases, phase);
  return deadline !== null && now.getTime() >= deadline.getTime();
}

/** Milliseconds left until the phase's deadline (negative when overdue), or null without one. */
export function timeRemaining(phases: readonly PhaseDeadline[], phase: Phase, now: Date): number | null {
  const deadline = deadlineOf(phases, phase);
  return deadline === null ? null : deadline.getTime() - now.getTime();
}

/** The earliest deadline still ahead of `now`, or null when all have passed. */
export function nextDeadline(phases: readonly PhaseDeadline[], now: Date): { phase: Phase; deadline: Date } | null {
  let best: { phase: Phase; deadline: Date } | null = null;
  for (const entry of phases) {
    const deadline = new Date(entry.deadline);
    if (deadline.getTime() <= now.getTime()) continue;
    if (!best || deadline.getTime() < best.deadline.getTime()) best = { phase: entry.phase, deadline };
  }
  return best;
}

/** A deadline as wall-clock time in one zone, for "the review deadline is 17:00 in Paris". */
export interface ZonedTime {
  timeZone: string;
  /** `YYYY-MM-DD HH:mm` in that zone. */
  local: string;
  /** Offset from UTC such as `GMT+9`. */
  offset: string;
}

/**
 * Shows one instant in each of the given IANA zones (the call's, each agency's, the viewer's),
 * answering OpenReview's single-zone confusion. Duplicate zones are listed once.
 */
export function inZones(instant: Date, zones: readonly string[]): ZonedTime[] {
  return [...new Set(zones)].map((timeZone) => {
    const parts = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'shortOffset',
    }).formatToParts(instant);
    const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
    return {
      timeZone,
      local: `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`,
      offset: part('timeZoneName'),
    };
  });
}
