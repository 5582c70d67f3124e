import { describe, expect, it } from 'vitest';
import {
  CONFLICT_TYPES,
  DECISION_KINDS,
  PHASES,
  PHASE_TRANSITIONS,
  PROGRAMME_TYPES,
  PhaseSchema,
  ROLES,
  RoleSchema,
  SCALES,
  SCALE_KINDS,
} from '../../shared/enums';

describe('vocabularies', () => {
  it('lists the roles, conflict types, decisions and programme types of the domain', () => {
    expect(ROLES).toEqual(['admin', 'pd', 'po', 'officer', 'reviewer', 'observer']);
    expect(CONFLICT_TYPES).toEqual(['institutional', 'recent_collaborator', 'advisor_advisee', 'personal', 'other']);
    expect(DECISION_KINDS).toEqual(['fund', 'fund_with_conditions', 'reserve', 'reject']);
    expect(PROGRAMME_TYPES).toHaveLength(6);
  });

  it('rejects values outside a vocabulary, including operator objects', () => {
    expect(RoleSchema.safeParse('superuser').success).toBe(false);
    expect(PhaseSchema.safeParse({ $ne: 'setup' }).success).toBe(false);
    expect(PhaseSchema.parse('panel')).toBe('panel');
  });
});

describe('phase graph', () => {
  it('moves forward one phase at a time and lets a panel go back to review', () => {
    expect(PHASE_TRANSITIONS.setup).toEqual(['review']);
    expect(PHASE_TRANSITIONS.panel).toContain('review');
    expect(PHASE_TRANSITIONS.decided).toEqual([]);
  });

  it('only points at phases that exist', () => {
    for (const phase of PHASES) for (const next of PHASE_TRANSITIONS[phase]) expect(PHASES).toContain(next);
  });
});

describe('scales', () => {
  it('defines each scale kind with range and direction', () => {
    expect(Object.keys(SCALES).sort()).toEqual([...SCALE_KINDS].sort());
    expect(SCALES.nine_point_lower_better).toMatchObject({ min: 1, max: 9, direction: 'lower_better', halfStep: false });
    expect(SCALES.zero_to_five).toMatchObject({ min: 0, max: 5, direction: 'higher_better', halfStep: true });
    expect(SCALES.one_to_five).toMatchObject({ min: 1, max: 5, direction: 'higher_better', halfStep: false });
  });
});
