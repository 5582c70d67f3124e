import type { Agency, CallCreateInput, Criterion } from '../../../shared/schemas/call';
import type { ScoredReview } from '../../../server/domain/reconciliation';

/** Test data: small, explicit calls on each scale. */

export const JST: Agency = {
  code: 'JST',
  name: { en: 'Japan Science and Technology Agency', ja: '科学技術振興機構' },
  timeZone: 'Asia/Tokyo',
  currency: 'JPY',
  budgetEnvelope: 300_000_000,
};
export const ANR: Agency = {
  code: 'ANR',
  name: { en: 'French National Research Agency', ja: 'フランス国立研究機構' },
  timeZone: 'Europe/Paris',
  currency: 'EUR',
  budgetEnvelope: 2_000_000,
};
export const NRF: Agency = {
  code: 'NRF',
  name: { en: 'National Research Foundation of Korea', ja: '韓国研究財団' },
  timeZone: 'Asia/Seoul',
  currency: 'KRW',
  budgetEnvelope: 3_000_000_000,
};

/** Horizon Europe style: 0–5 with half marks, threshold 3 each, 10 of 15 overall. */
export function euCriterion(key: string, overrides: Partial<Criterion> = {}): Criterion {
  return { key, name: { en: key, ja: key }, scale: 'zero_to_five', halfMarks: true, weight: 1, threshold: 3, ...overrides };
}
export const EU_CRITERIA: Criterion[] = [euCriterion('excellence'), euCriterion('impact'), euCriterion('implementation')];

/** NIH style: whole numbers 1–9, 1 best. */
export function nihCriterion(key: string, overrides: Partial<Criterion> = {}): Criterion {
  return { key, name: { en: key, ja: key }, scale: 'nine_point_lower_better', halfMarks: false, weight: 1, threshold: null, ...overrides };
}

/** A valid bilateral JST–ANR call on the EU scale. */
export function bilateralCall(overrides: Partial<CallCreateInput> = {}): CallCreateInput {
  return {
    title: { en: 'JST–ANR joint call', ja: 'JST–ANR共同公募' },
    programme: 'bilateral',
    agencies: [JST, ANR],
    criteria: EU_CRITERIA,
    overallThreshold: 10,
    flagThresholds: { spread: 1.5, agencyGap: 1 },
    timeZone: 'Asia/Tokyo',
    phases: [
      { phase: 'review', deadline: '2025-03-31T17:00:00+09:00' },
      { phase: 'panel', deadline: '2025-05-15T17:00:00+09:00' },
    ],
    ...overrides,
  };
}

/** A three-agency e-ASIA call (JST, ANR standing in as a partner, NRF). */
export function multilateralCall(overrides: Partial<CallCreateInput> = {}): CallCreateInput {
  return bilateralCall({ programme: 'multilateral_asia', agencies: [JST, NRF, ANR], ...overrides });
}

/** A submitted review with the same score on every EU criterion unless given per key. */
export function review(
  reviewerId: string,
  agency: string,
  scores: Record<string, number>,
  status: ScoredReview['status'] = 'submitted',
): ScoredReview {
  return { reviewerId, agency, status, scores };
}

/** Scores for the three EU criteria. */
export function eu(excellence: number, impact: number, implementation: number): Record<string, number> {
  return { excellence, impact, implementation };
}
