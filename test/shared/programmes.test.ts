import { describe, expect, it } from 'vitest';
import { PROGRAMME_TYPES } from '../../shared/enums';
import { DEFAULT_FLAG_THRESHOLDS, PROGRAMMES, agencyCountAllowed, budgetYears } from '../../shared/programmes';

describe('programme templates carry the SICORP overview figures', () => {
  it('has one template per programme type', () => {
    expect(Object.keys(PROGRAMMES).sort()).toEqual([...PROGRAMME_TYPES].sort());
    for (const type of PROGRAMME_TYPES) expect(PROGRAMMES[type].type).toBe(type);
  });

  it('uses the overview research periods in months', () => {
    expect(PROGRAMMES.bilateral.periodMonths).toEqual({ min: 36, max: 60 });
    expect(PROGRAMMES.multilateral_asia.periodMonths).toEqual({ min: 36, max: 36 });
    expect(PROGRAMMES.concert_japan.periodMonths).toEqual({ min: 36, max: 36 });
    expect(PROGRAMMES.belmont_forum.periodMonths).toEqual({ min: 12, max: 60 });
    expect(PROGRAMMES.chirp.periodMonths).toEqual({ min: 60, max: 60 });
    expect(PROGRAMMES.j_rapid.periodMonths).toEqual({ min: 6, max: 12 });
  });

  it('uses the overview Japanese-side funding per year in yen', () => {
    expect(PROGRAMMES.bilateral.fundingPerYearJpy).toEqual({ min: 5_000_000, max: 100_000_000 });
    expect(PROGRAMMES.multilateral_asia.fundingPerYearJpy).toEqual({ min: 6_000_000, max: 13_000_000 });
    expect(PROGRAMMES.concert_japan.fundingPerYearJpy.max).toBe(6_000_000);
    expect(PROGRAMMES.belmont_forum.fundingPerYearJpy).toEqual({ min: 3_000_000, max: 10_000_000 });
    expect(PROGRAMMES.chirp.fundingPerYearJpy).toEqual({ min: 5_000_000, max: 100_000_000 });
    expect(PROGRAMMES.j_rapid.panelMeeting).toBe(false);
  });

  it('names every template in English and Japanese', () => {
    for (const type of PROGRAMME_TYPES) {
      expect(PROGRAMMES[type].name.en.length).toBeGreaterThan(0);
      expect(PROGRAMMES[type].name.ja.length).toBeGreaterThan(0);
    }
  });

  it('has flag thresholds for every scale', () => {
    expect(DEFAULT_FLAG_THRESHOLDS.nine_point_lower_better.spread).toBeGreaterThan(DEFAULT_FLAG_THRESHOLDS.zero_to_five.spread);
  });
});

describe('agency count rules', () => {
  it('bilateral, CHIRP and J-RAPID need exactly two agencies', () => {
    for (const type of ['bilateral', 'chirp', 'j_rapid'] as const) {
      expect(agencyCountAllowed(type, 1)).toBe(false);
      expect(agencyCountAllowed(type, 2)).toBe(true);
      expect(agencyCountAllowed(type, 3)).toBe(false);
    }
  });

  it('multilateral programmes need three or more', () => {
    for (const type of ['multilateral_asia', 'concert_japan', 'belmont_forum'] as const) {
      expect(agencyCountAllowed(type, 2)).toBe(false);
      expect(agencyCountAllowed(type, 3)).toBe(true);
      expect(agencyCountAllowed(type, 12)).toBe(true);
    }
  });
});

describe('budget years', () => {
  it('counts a started year as a year', () => {
    expect(budgetYears(6)).toBe(1);
    expect(budgetYears(12)).toBe(1);
    expect(budgetYears(13)).toBe(2);
    expect(budgetYears(60)).toBe(5);
  });
});
