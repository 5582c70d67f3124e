import type { Language, ProgrammeType, ScaleKind } from './enums';

/**
 * SICORP programme templates. Periods and Japanese-side funding come from JST's overview
 * (/work/shared/seed-sicorp-overview.txt); a call may narrow or adjust them because the overview
 * itself says amounts and periods are "determined flexibly through coordination".
 */

/** JST's agency code; JST is a participant in every Godo call. */
export const JST_AGENCY_CODE = 'JST';

/** An inclusive numeric range. */
export interface NumberRange {
  readonly min: number;
  readonly max: number;
}

/** How many agencies (JST included) a call of this type has; `max: null` means no upper bound. */
export interface AgencyCountRule {
  readonly min: number;
  readonly max: number | null;
  /** Plain description of the rule, for error messages. */
  readonly description: string;
}

/** One programme type's figures and defaults. */
export interface ProgrammeTemplate {
  readonly type: ProgrammeType;
  readonly name: Readonly<Record<Language, string>>;
  readonly agencies: AgencyCountRule;
  /** Research period in months. */
  readonly periodMonths: NumberRange;
  /** JST funding to the Japanese side per project per year, in yen. */
  readonly fundingPerYearJpy: NumberRange;
  /** Where a figure is our reading of the overview rather than a quoted number. */
  readonly note?: string;
  /** Whether calls of this type usually hold a panel meeting (J-RAPID reviews fast, often without). */
  readonly panelMeeting: boolean;
  readonly defaultScale: ScaleKind;
  readonly defaultReviewersPerProposal: number;
}

const MILLION = 1_000_000;

/** The six programme templates, keyed by type. */
export const PROGRAMMES: Readonly<Record<ProgrammeType, ProgrammeTemplate>> = {
  bilateral: {
    type: 'bilateral',
    name: { en: 'Bilateral collaboration (SICORP)', ja: '二国間共同研究（SICORP）' },
    agencies: { min: 2, max: 2, description: 'exactly 2 agencies: JST and one counterpart' },
    periodMonths: { min: 36, max: 60 },
    fundingPerYearJpy: { min: 5 * MILLION, max: 100 * MILLION },
    panelMeeting: true,
    defaultScale: 'zero_to_five',
    defaultReviewersPerProposal: 3,
  },
  multilateral_asia: {
    type: 'multilateral_asia',
    name: { en: 'Multilateral collaboration, Asia (e-ASIA)', ja: '多国間共同研究（e-ASIA）' },
    agencies: { min: 3, max: null, description: 'at least 3 agencies: JST and 2 or more in the region' },
    periodMonths: { min: 36, max: 36 },
    fundingPerYearJpy: { min: 6 * MILLION, max: 13 * MILLION },
    panelMeeting: true,
    defaultScale: 'zero_to_five',
    defaultReviewersPerProposal: 3,
  },
  concert_japan: {
    type: 'concert_japan',
    name: { en: 'CONCERT-Japan (Europe)', ja: 'CONCERT-Japan（欧州）' },
    agencies: { min: 3, max: null, description: 'at least 3 agencies: JST and 2 or more European' },
    periodMonths: { min: 36, max: 36 },
    fundingPerYearJpy: { min: 1, max: 6 * MILLION },
    note: 'The overview states ¥6 million per project per year; Godo reads it as a ceiling.',
    panelMeeting: true,
    defaultScale: 'zero_to_five',
    defaultReviewersPerProposal: 3,
  },
  belmont_forum: {
    type: 'belmont_forum',
    name: { en: 'Belmont Forum', ja: 'ベルモント・フォーラム' },
    agencies: { min: 3, max: null, description: "at least 3 countries' agencies, JST included" },
    periodMonths: { min: 12, max: 60 },
    fundingPerYearJpy: { min: 3 * MILLION, max: 10 * MILLION },
    panelMeeting: true,
    defaultScale: 'zero_to_five',
    defaultReviewersPerProposal: 3,
  },
  chirp: {
    type: 'chirp',
    name: { en: 'Collaboration Hubs for International Research Program (CHIRP)', ja: '国際共同研究拠点（CHIRP）' },
    agencies: { min: 2, max: 2, description: 'exactly 2 agencies: JST and one partner' },
    periodMonths: { min: 60, max: 60 },
    fundingPerYearJpy: { min: 5 * MILLION, max: 100 * MILLION },
    panelMeeting: true,
    defaultScale: 'zero_to_five',
    defaultReviewersPerProposal: 3,
  },
  j_rapid: {
    type: 'j_rapid',
    name: { en: 'J-RAPID (urgent disaster research)', ja: 'J-RAPID（国際緊急共同研究・調査支援）' },
    agencies: { min: 2, max: 2, description: 'exactly 2 agencies: JST and the affected country' },
    periodMonths: { min: 6, max: 12 },
    fundingPerYearJpy: { min: 1, max: 10 * MILLION },
    note: 'The overview states "several million" yen; Godo caps it at ¥10 million.',
    panelMeeting: false,
    defaultScale: 'zero_to_five',
    defaultReviewersPerProposal: 3,
  },
};

/** Discrepancy flag thresholds that suit each scale (a call sets its own). */
export const DEFAULT_FLAG_THRESHOLDS: Readonly<Record<ScaleKind, { spread: number; agencyGap: number }>> = {
  nine_point_lower_better: { spread: 3, agencyGap: 2 },
  zero_to_five: { spread: 1.5, agencyGap: 1 },
  one_to_five: { spread: 2, agencyGap: 1 },
};

/** Default criteria for a new call: Horizon Europe's three, thresholds 3 each and 10 of 15 overall. */
export const DEFAULT_CRITERIA = [
  { key: 'excellence', name: { en: 'Excellence', ja: '研究の卓越性' } },
  { key: 'impact', name: { en: 'Impact', ja: '期待される効果' } },
  { key: 'implementation', name: { en: 'Quality and efficiency of implementation', ja: '実施体制・計画の妥当性' } },
] as const;
export const DEFAULT_CRITERION_THRESHOLD = 3;
export const DEFAULT_OVERALL_THRESHOLD = 10;

/** The call time zone used when none is given: JST runs the programme from Tokyo. */
export const DEFAULT_TIME_ZONE = 'Asia/Tokyo';

/** Whether `count` agencies satisfy the programme's agency rule. */
export function agencyCountAllowed(type: ProgrammeType, count: number): boolean {
  const rule = PROGRAMMES[type].agencies;
  return count >= rule.min && (rule.max === null || count <= rule.max);
}

/** Number of budget years a research period spans (a started year counts as a year). */
export function budgetYears(periodMonths: number): number {
  return Math.max(1, Math.ceil(periodMonths / 12));
}
