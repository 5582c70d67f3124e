import { describe, expect, it } from 'vitest';
import { CallCreateSchema, CallUpdateSchema, CriterionSchema, PhaseChangeSchema } from '../../shared/schemas/call';
import { ANR, JST, NRF, bilateralCall, euCriterion, nihCriterion } from '../server/domain/fixtures';

function messages(result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }): string[] {
  return (result.error?.issues ?? []).map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('CallCreateSchema accepts a complete call', () => {
  it('parses a bilateral call and fills criterion defaults', () => {
    const { criteria, ...rest } = bilateralCall();
    const parsed = CallCreateSchema.parse({
      ...rest,
      criteria: criteria.map(({ halfMarks: _h, threshold: _t, ...c }) => c),
    });
    expect(parsed.criteria[0]).toMatchObject({ halfMarks: false, threshold: null });
  });

  it('accepts call-level period and funding adjustments', () => {
    const result = CallCreateSchema.safeParse(bilateralCall({ periodMonths: { min: 36, max: 48 } }));
    expect(result.success).toBe(true);
  });
});

describe('CallCreateSchema rejects hostile and unknown input', () => {
  it('rejects unknown keys at every level', () => {
    expect(CallCreateSchema.safeParse({ ...bilateralCall(), isAdmin: true }).success).toBe(false);
    const agencies = [{ ...JST, extra: 1 }, ANR];
    expect(CallCreateSchema.safeParse(bilateralCall({ agencies } as never)).success).toBe(false);
  });

  it('rejects operator objects where strings are expected', () => {
    const title = { en: { $gt: '' }, ja: 'x' };
    expect(CallCreateSchema.safeParse({ ...bilateralCall(), title }).success).toBe(false);
    expect(CallCreateSchema.safeParse({ ...bilateralCall(), timeZone: { $ne: null } }).success).toBe(false);
  });

  it('rejects over-long strings', () => {
    const title = { en: 'x'.repeat(501), ja: 'x' };
    expect(CallCreateSchema.safeParse({ ...bilateralCall(), title }).success).toBe(false);
  });
});

describe('agencies', () => {
  it('validates time zones through Intl and refuses offsets', () => {
    const bad = (timeZone: string) =>
      CallCreateSchema.safeParse(bilateralCall({ agencies: [JST, { ...ANR, timeZone }] })).success;
    expect(bad('Europe/Paris')).toBe(true);
    expect(bad('Mars/Olympus_Mons')).toBe(false);
    expect(bad('+09:00')).toBe(false);
    expect(CallCreateSchema.safeParse(bilateralCall({ timeZone: 'Asia/Tokio' })).success).toBe(false);
  });

  it('requires known currencies and a JPY envelope for JST', () => {
    expect(CallCreateSchema.safeParse(bilateralCall({ agencies: [JST, { ...ANR, currency: 'XYZ' }] })).success).toBe(false);
    const result = CallCreateSchema.safeParse(bilateralCall({ agencies: [{ ...JST, currency: 'USD' }, ANR] }));
    expect(messages(result).join()).toMatch(/JPY/);
  });

  it('requires JST and unique codes', () => {
    expect(messages(CallCreateSchema.safeParse(bilateralCall({ agencies: [ANR, NRF] }))).join()).toMatch(/JST must take part/);
    expect(messages(CallCreateSchema.safeParse(bilateralCall({ agencies: [JST, JST] }))).join()).toMatch(/twice/);
  });

  it('applies the programme agency count', () => {
    expect(CallCreateSchema.safeParse(bilateralCall({ agencies: [JST, ANR, NRF] })).success).toBe(false);
    expect(CallCreateSchema.safeParse(bilateralCall({ programme: 'multilateral_asia', agencies: [JST, ANR] })).success).toBe(false);
    expect(CallCreateSchema.safeParse(bilateralCall({ programme: 'multilateral_asia', agencies: [JST, ANR, NRF] })).success).toBe(true);
  });

  it('rejects negative or fractional envelopes', () => {
    expect(CallCreateSchema.safeParse(bilateralCall({ agencies: [JST, { ...ANR, budgetEnvelope: -1 }] })).success).toBe(false);
    expect(CallCreateSchema.safeParse(bilateralCall({ agencies: [JST, { ...ANR, budgetEnvelope: 1.5 }] })).success).toBe(false);
  });
});

describe('criteria', () => {
  it('allows half marks only on the 0–5 scale', () => {
    expect(CriterionSchema.safeParse(euCriterion('a', { halfMarks: true })).success).toBe(true);
    expect(CriterionSchema.safeParse(nihCriterion('a', { halfMarks: true })).success).toBe(false);
    expect(CriterionSchema.safeParse(euCriterion('a', { scale: 'one_to_five', halfMarks: true })).success).toBe(false);
  });

  it('requires thresholds to be marks on the scale', () => {
    expect(CriterionSchema.safeParse(euCriterion('a', { threshold: 3.5 })).success).toBe(true);
    expect(CriterionSchema.safeParse(euCriterion('a', { halfMarks: false, threshold: 3.5 })).success).toBe(false);
    expect(CriterionSchema.safeParse(nihCriterion('a', { threshold: 10 })).success).toBe(false);
    expect(CriterionSchema.safeParse(nihCriterion('a', { threshold: 0 })).success).toBe(false);
  });

  it('requires a positive weight and a safe key', () => {
    expect(CriterionSchema.safeParse(euCriterion('a', { weight: 0 })).success).toBe(false);
    expect(CriterionSchema.safeParse(euCriterion('__proto__')).success).toBe(false);
    expect(CriterionSchema.safeParse(euCriterion('Impact')).success).toBe(false);
  });

  it('requires unique keys and one scale direction', () => {
    const dup = bilateralCall({ criteria: [euCriterion('a'), euCriterion('a')] });
    expect(messages(CallCreateSchema.safeParse(dup)).join()).toMatch(/twice/);
    const mixed = bilateralCall({ criteria: [euCriterion('a'), nihCriterion('b')] });
    expect(messages(CallCreateSchema.safeParse(mixed)).join()).toMatch(/same direction/);
    const sameDirection = bilateralCall({ criteria: [euCriterion('a'), euCriterion('b', { scale: 'one_to_five', halfMarks: false })] });
    expect(CallCreateSchema.safeParse(sameDirection).success).toBe(true);
  });
});

describe('phases and deadlines', () => {
  it('requires ISO instants with an offset', () => {
    const phases = [{ phase: 'review' as const, deadline: '2025-03-31 17:00' }];
    expect(CallCreateSchema.safeParse(bilateralCall({ phases })).success).toBe(false);
    const zoned = [{ phase: 'review' as const, deadline: '2025-03-31T08:00:00Z' }];
    expect(CallCreateSchema.safeParse(bilateralCall({ phases: zoned })).success).toBe(true);
  });

  it('requires deadlines in phase order and each phase once', () => {
    const reversed = bilateralCall({
      phases: [
        { phase: 'panel', deadline: '2025-03-01T00:00:00Z' },
        { phase: 'review', deadline: '2025-04-01T00:00:00Z' },
      ],
    });
    expect(messages(CallCreateSchema.safeParse(reversed)).join()).toMatch(/after the review deadline/);
    const twice = bilateralCall({
      phases: [
        { phase: 'review', deadline: '2025-03-01T00:00:00Z' },
        { phase: 'review', deadline: '2025-04-01T00:00:00Z' },
      ],
    });
    expect(CallCreateSchema.safeParse(twice).success).toBe(false);
  });
});

describe('CallUpdateSchema', () => {
  it('accepts a partial update and still checks what it can', () => {
    expect(CallUpdateSchema.parse({ overallThreshold: 12 })).toEqual({ overallThreshold: 12 });
    expect(CallUpdateSchema.safeParse({ programme: 'bilateral', agencies: [JST, ANR, NRF] }).success).toBe(false);
    expect(CallUpdateSchema.safeParse({ nope: 1 }).success).toBe(false);
  });

  it('does not invent values for fields left out', () => {
    expect(CallUpdateSchema.parse({})).toEqual({});
  });
});

describe('PhaseChangeSchema', () => {
  it('takes a target phase, an optional reason and the call version last seen', () => {
    expect(PhaseChangeSchema.parse({ to: 'review', reason: ' reopen ', version: 3 })).toEqual({ to: 'review', reason: 'reopen', version: 3 });
    expect(PhaseChangeSchema.safeParse({ to: 'closed', version: 0 }).success).toBe(false);
    expect(PhaseChangeSchema.safeParse({ to: 'review' }).success).toBe(false);
  });
});
