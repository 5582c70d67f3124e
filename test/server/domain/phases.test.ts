import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../server/domain/domainError';
import {
  assertTransition,
  canTransition,
  deadlineOf,
  inZones,
  isAtOrAfter,
  isPastDeadline,
  nextDeadline,
  timeRemaining,
} from '../../../server/domain/phases';
import type { PhaseDeadline } from '../../../shared/schemas/call';

const phases: PhaseDeadline[] = [
  { phase: 'review', deadline: '2025-03-31T17:00:00+09:00' },
  { phase: 'panel', deadline: '2025-05-15T17:00:00+09:00' },
];

function codeOf(fn: () => void): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  return undefined;
}

describe('phase transitions', () => {
  it('follows setup → review → panel → finalization → decided', () => {
    expect(canTransition('setup', 'review')).toBe(true);
    expect(canTransition('review', 'panel')).toBe(true);
    expect(canTransition('panel', 'finalization')).toBe(true);
    expect(canTransition('finalization', 'decided')).toBe(true);
  });

  it('refuses skipping, going back (other than reopening) and leaving decided', () => {
    expect(codeOf(() => assertTransition('setup', 'panel', 'admin'))).toBe('phase_transition_invalid');
    expect(codeOf(() => assertTransition('finalization', 'panel', 'po'))).toBe('phase_transition_invalid');
    expect(codeOf(() => assertTransition('decided', 'finalization', 'po'))).toBe('phase_transition_invalid');
    expect(codeOf(() => assertTransition('review', 'review', 'po'))).toBe('phase_transition_invalid');
  });

  it('lets only the PO (or PD) reopen review from the panel', () => {
    expect(codeOf(() => assertTransition('panel', 'review', 'po'))).toBeUndefined();
    expect(codeOf(() => assertTransition('panel', 'review', 'pd'))).toBeUndefined();
    expect(codeOf(() => assertTransition('panel', 'review', 'officer'))).toBe('forbidden');
    expect(codeOf(() => assertTransition('panel', 'review', 'admin'))).toBe('forbidden');
  });

  it('names the allowed targets in the error', () => {
    expect(() => assertTransition('review', 'decided', 'po')).toThrow(/can move to panel, not decided/);
  });
});

describe('phase order', () => {
  it('compares phases by their place in the life of a call', () => {
    expect(isAtOrAfter('panel', 'panel')).toBe(true);
    expect(isAtOrAfter('decided', 'panel')).toBe(true);
    expect(isAtOrAfter('review', 'panel')).toBe(false);
  });
});

describe('deadlines take now as a parameter', () => {
  const before = new Date('2025-03-31T07:59:59Z');
  const exactly = new Date('2025-03-31T08:00:00Z');

  it('finds a phase deadline or null', () => {
    expect(deadlineOf(phases, 'review')?.toISOString()).toBe('2025-03-31T08:00:00.000Z');
    expect(deadlineOf(phases, 'finalization')).toBeNull();
  });

  it('is past at the deadline instant, not before', () => {
    expect(isPastDeadline(phases, 'review', before)).toBe(false);
    expect(isPastDeadline(phases, 'review', exactly)).toBe(true);
    expect(isPastDeadline(phases, 'finalization', exactly)).toBe(false);
  });

  it('reports time remaining, negative when overdue', () => {
    expect(timeRemaining(phases, 'review', before)).toBe(1000);
    expect(timeRemaining(phases, 'review', new Date('2025-03-31T08:00:10Z'))).toBe(-10_000);
    expect(timeRemaining(phases, 'decided', before)).toBeNull();
  });

  it('finds the next deadline ahead', () => {
    expect(nextDeadline(phases, before)?.phase).toBe('review');
    expect(nextDeadline(phases, exactly)?.phase).toBe('panel');
    expect(nextDeadline(phases, new Date('2026-01-01T00:00:00Z'))).toBeNull();
  });
});

describe('deadlines shown in several zones', () => {
  it('gives the wall-clock time and offset in each agency zone', () => {
    const [tokyo, paris, newYork] = inZones(new Date('2025-03-31T08:00:00Z'), ['Asia/Tokyo', 'Europe/Paris', 'America/New_York']);
    expect(tokyo).toEqual({ timeZone: 'Asia/Tokyo', local: '2025-03-31 17:00', offset: 'GMT+9' });
    expect(paris.local).toBe('2025-03-31 10:00');
    expect(paris.offset).toBe('GMT+2');
    expect(newYork.local).toBe('2025-03-31 04:00');
  });

  it('follows daylight saving and lists a zone once', () => {
    const winter = inZones(new Date('2025-01-15T08:00:00Z'), ['Europe/Paris', 'Europe/Paris']);
    expect(winter).toHaveLength(1);
    expect(winter[0].local).toBe('2025-01-15 09:00');
  });
});
