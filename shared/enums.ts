import { z } from 'zod';

/**
 * Closed vocabularies shared by client and server. Each list is the single source for its
 * TypeScript union and its zod schema, so a value added here is accepted everywhere at once.
 */

/** What a person does in one call (a person can hold different roles in different calls). */
export const ROLES = ['admin', 'pd', 'po', 'officer', 'reviewer', 'observer'] as const;
export type Role = (typeof ROLES)[number];
export const RoleSchema = z.enum(ROLES);

/** Roles that belong to JST's side by definition (Program Director and Program Officer). */
export const JST_ONLY_ROLES: readonly Role[] = ['pd', 'po'];

/** The life of a call, in order. */
export const PHASES = ['setup', 'review', 'panel', 'finalization', 'decided'] as const;
export type Phase = (typeof PHASES)[number];
export const PhaseSchema = z.enum(PHASES);

/**
 * Allowed phase moves. Forward only, one step at a time, except that a panel can send the call
 * back to individual review (NIH's "edit" step: reviewers revise after discussion).
 */
export const PHASE_TRANSITIONS: Readonly<Record<Phase, readonly Phase[]>> = {
  setup: ['review'],
  review: ['panel'],
  panel: ['finalization', 'review'],
  finalization: ['decided'],
  decided: [],
};

/** Roles that may reopen review from the panel phase (JST's supervisors of the programme). */
export const REOPEN_REVIEW_ROLES: readonly Role[] = ['po', 'pd'];

/** Conflict of interest kinds (HotCRP-style typed conflicts). */
export const CONFLICT_TYPES = [
  'institutional',
  'recent_collaborator',
  'advisor_advisee',
  'personal',
  'other',
] as const;
export type ConflictType = (typeof CONFLICT_TYPES)[number];
export const ConflictTypeSchema = z.enum(CONFLICT_TYPES);

/** Where a conflict record stands: proposed automatically, confirmed, or dismissed by staff. */
export const CONFLICT_STATUSES = ['proposed', 'confirmed', 'dismissed'] as const;
export type ConflictStatus = (typeof CONFLICT_STATUSES)[number];
export const ConflictStatusSchema = z.enum(CONFLICT_STATUSES);

/** The joint decision on one proposal. */
export const DECISION_KINDS = ['fund', 'fund_with_conditions', 'reserve', 'reject'] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];
export const DecisionKindSchema = z.enum(DECISION_KINDS);

/** Interface and report languages. */
export const LANGUAGES = ['en', 'ja'] as const;
export type Language = (typeof LANGUAGES)[number];
export const LanguageSchema = z.enum(LANGUAGES);

/** SICORP programme types (see shared/programmes.ts for their figures). */
export const PROGRAMME_TYPES = [
  'bilateral',
  'multilateral_asia',
  'concert_japan',
  'belmont_forum',
  'chirp',
  'j_rapid',
] as const;
export type ProgrammeType = (typeof PROGRAMME_TYPES)[number];
export const ProgrammeTypeSchema = z.enum(PROGRAMME_TYPES);

/** Score scales a criterion can use. */
export const SCALE_KINDS = ['nine_point_lower_better', 'zero_to_five', 'one_to_five'] as const;
export type ScaleKind = (typeof SCALE_KINDS)[number];
export const ScaleKindSchema = z.enum(SCALE_KINDS);

/** Which end of a scale is the good one. */
export type ScaleDirection = 'lower_better' | 'higher_better';

/** Range and direction of a scale; `halfStep` says whether half marks are possible at all. */
export interface ScaleSpec {
  readonly min: number;
  readonly max: number;
  readonly direction: ScaleDirection;
  readonly halfStep: boolean;
}

/**
 * The scales: NIH's whole numbers 1–9 with 1 best; Horizon Europe's 0–5 where a criterion may
 * allow half marks; a plain 1–5 with 5 best.
 */
export const SCALES: Readonly<Record<ScaleKind, ScaleSpec>> = {
  nine_point_lower_better: { min: 1, max: 9, direction: 'lower_better', halfStep: false },
  zero_to_five: { min: 0, max: 5, direction: 'higher_better', halfStep: true },
  one_to_five: { min: 1, max: 5, direction: 'higher_better', halfStep: false },
};

/** Review status: drafts are private to their author and never count in statistics. */
export const REVIEW_STATUSES = ['draft', 'submitted'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];
export const ReviewStatusSchema = z.enum(REVIEW_STATUSES);
