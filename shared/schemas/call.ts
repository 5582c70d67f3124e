import { z } from 'zod';
import { PHASES, PhaseSchema, ProgrammeTypeSchema, SCALES, ScaleKindSchema } from '../enums';
import { LIMITS } from '../limits';
import { JST_AGENCY_CODE, PROGRAMMES, agencyCountAllowed } from '../programmes';
import {
  AgencyCodeSchema,
  BilingualNameSchema,
  CriterionKeySchema,
  CurrencySchema,
  InstantSchema,
  MoneySchema,
  TimeZoneSchema,
  VersionSchema,
  text,
} from './common';

/** A participating funding agency: its own zone, currency and budget envelope for the whole call. */
export const AgencySchema = z.strictObject({
  code: AgencyCodeSchema,
  name: BilingualNameSchema,
  timeZone: TimeZoneSchema,
  currency: CurrencySchema,
  budgetEnvelope: MoneySchema,
});
export type Agency = z.infer<typeof AgencySchema>;

/** A scored criterion. `threshold` is the pass mark on the criterion's scale (direction-aware). */
export const CriterionSchema = z
  .strictObject({
    key: CriterionKeySchema,
    name: BilingualNameSchema,
    scale: ScaleKindSchema,
    halfMarks: z.boolean().default(false),
    weight: z.number().positive().max(100),
    threshold: z.number().nullable().default(null),
  })
  .superRefine((criterion, ctx) => {
    const spec = SCALES[criterion.scale];
    if (criterion.halfMarks && !spec.halfStep) {
      ctx.addIssue({ code: 'custom', path: ['halfMarks'], message: `${criterion.scale} has no half marks` });
    }
    const t = criterion.threshold;
    if (t !== null) {
      const step = criterion.halfMarks ? 0.5 : 1;
      if (t < spec.min || t > spec.max || !Number.isInteger(t / step)) {
        ctx.addIssue({
          code: 'custom',
          path: ['threshold'],
          message: `threshold must be a mark on the ${spec.min}–${spec.max} scale`,
        });
      }
    }
  });
export type Criterion = z.infer<typeof CriterionSchema>;

/** A phase and the instant it ends. */
export const PhaseDeadlineSchema = z.strictObject({ phase: PhaseSchema, deadline: InstantSchema });
export type PhaseDeadline = z.infer<typeof PhaseDeadlineSchema>;

const RangeSchema = z
  .strictObject({ min: z.number().int().min(0), max: z.number().int().min(0) })
  .refine((range) => range.min <= range.max, { message: 'min must not exceed max', path: ['max'] });

const callShape = {
  title: z.strictObject({ en: text(LIMITS.title), ja: text(LIMITS.title) }),
  programme: ProgrammeTypeSchema,
  agencies: z.array(AgencySchema).min(1).max(LIMITS.agencies),
  criteria: z.array(CriterionSchema).min(1).max(LIMITS.criteria),
  /** Pass mark for the weighted total (Σ weight × score), or null for none. */
  overallThreshold: z.number().min(0).max(10_000).nullable(),
  flagThresholds: z.strictObject({
    spread: z.number().positive().max(100),
    agencyGap: z.number().positive().max(100),
  }),
  /** The zone deadlines are announced in; each agency also sees them in its own zone. */
  timeZone: TimeZoneSchema,
  phases: z.array(PhaseDeadlineSchema).max(PHASES.length),
  /** Call-level adjustment of the programme's research period (months). */
  periodMonths: RangeSchema.optional(),
  /** Call-level adjustment of the programme's Japanese-side funding per year (yen). */
  fundingPerYearJpy: RangeSchema.optional(),
};

type CallShapeInput = Partial<{ [K in keyof typeof callShape]: z.infer<(typeof callShape)[K]> }>;

function checkCall(call: CallShapeInput, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  if (call.agencies) {
    const codes = call.agencies.map((agency) => agency.code);
    codes.forEach((code, i) => {
      if (codes.indexOf(code) !== i) issue(['agencies', i, 'code'], `agency ${code} is listed twice`);
    });
    const jst = call.agencies.find((agency) => agency.code === JST_AGENCY_CODE);
    if (!jst) issue(['agencies'], `${JST_AGENCY_CODE} must take part in every call`);
    else if (jst.currency !== 'JPY') issue(['agencies'], `${JST_AGENCY_CODE} budgets are in JPY`);
    if (call.programme && !agencyCountAllowed(call.programme, call.agencies.length)) {
      issue(['agencies'], `${call.programme} calls need ${PROGRAMMES[call.programme].agencies.description}`);
    }
  }
  if (call.criteria) {
    const keys = call.criteria.map((criterion) => criterion.key);
    keys.forEach((key, i) => {
      if (keys.indexOf(key) !== i) issue(['criteria', i, 'key'], `criterion ${key} is listed twice`);
    });
    // A weighted total only means something when every criterion points the same way.
    const directions = new Set(call.criteria.map((criterion) => SCALES[criterion.scale].direction));
    if (directions.size > 1) issue(['criteria'], 'all criteria must use scales of the same direction');
  }
  if (call.phases) {
    const seen = new Set<string>();
    call.phases.forEach((entry, i) => {
      if (seen.has(entry.phase)) issue(['phases', i, 'phase'], `phase ${entry.phase} is listed twice`);
      seen.add(entry.phase);
    });
    const ordered = [...call.phases].sort((a, b) => PHASES.indexOf(a.phase) - PHASES.indexOf(b.phase));
    for (let i = 1; i < ordered.length; i++) {
      if (Date.parse(ordered[i].deadline) <= Date.parse(ordered[i - 1].deadline)) {
        issue(['phases'], `the ${ordered[i].phase} deadline must come after the ${ordered[i - 1].phase} deadline`);
      }
    }
  }
}

/**
 * Body of `POST /calls`. Cross-field rules: unique agency codes, JST present with a JPY budget,
 * the programme's agency count, unique criterion keys, one scale direction, deadlines in phase order.
 */
export const CallCreateSchema = z.strictObject(callShape).superRefine(checkCall);
export type CallCreateInput = z.infer<typeof CallCreateSchema>;

/**
 * Body of `PATCH /calls/:id`: any subset of the create fields. Rules spanning fields that are not
 * both present (e.g. agency count when only `agencies` is sent) are checked by re-parsing the merged
 * call with `CallCreateSchema`.
 */
export const CallUpdateSchema = z.strictObject(callShape).partial().superRefine(checkCall);
export type CallUpdateInput = z.infer<typeof CallUpdateSchema>;

/** Body of `POST /calls/:id/phase`. */
export const PhaseChangeSchema = z.strictObject({
  to: PhaseSchema,
  reason: text(LIMITS.reason).optional(),
  /** The call's version last read: a phase change never lands on a call that changed meanwhile. */
  version: VersionSchema,
});
export type PhaseChangeInput = z.infer<typeof PhaseChangeSchema>;
