import type { Language, Phase, ScaleKind } from '../../../shared/enums';
import type { CallUpdateInput } from '../../../shared/schemas/call';
import type { CallDto } from '../../api/dto';

/** Form state of the call settings: numbers as typed (strings) until saved. */
export interface SettingsDraft {
  title: Record<Language, string>;
  timeZone: string;
  agencies: { code: string; name: Record<Language, string>; timeZone: string; currency: string; budgetEnvelope: string }[];
  criteria: { key: string; name: Record<Language, string>; scale: ScaleKind; halfMarks: boolean; weight: string; threshold: string }[];
  overallThreshold: string;
  spread: string;
  agencyGap: string;
  /** ISO instants by phase; missing = no deadline. */
  deadlines: Partial<Record<Phase, string>>;
}

export function draftFromCall(call: CallDto): SettingsDraft {
  return {
    title: { en: call.title.en, ja: call.title.ja },
    timeZone: call.timeZone,
    agencies: call.agencies.map((agency) => ({ ...agency, name: { ...agency.name }, budgetEnvelope: String(agency.budgetEnvelope) })),
    criteria: call.criteria.map((criterion) => ({
      ...criterion,
      name: { ...criterion.name },
      weight: String(criterion.weight),
      threshold: criterion.threshold === null ? '' : String(criterion.threshold),
    })),
    overallThreshold: call.overallThreshold === null ? '' : String(call.overallThreshold),
    spread: String(call.flagThresholds.spread),
    agencyGap: String(call.flagThresholds.agencyGap),
    deadlines: Object.fromEntries(call.phases.map((entry) => [entry.phase, entry.deadline])),
  };
}

const num = (text: string) => (text.trim() === '' ? NaN : Number(text));
const orNull = (text: string) => (text.trim() === '' ? null : Number(text));

/** The PATCH body: every settings field, as the server's CallUpdateSchema expects it. */
export function updateFromDraft(draft: SettingsDraft, phaseOrder: readonly Phase[]): CallUpdateInput {
  return {
    title: { en: draft.title.en.trim(), ja: draft.title.ja.trim() },
    timeZone: draft.timeZone,
    agencies: draft.agencies.map((agency) => ({
      code: agency.code.trim(),
      name: { en: agency.name.en.trim(), ja: agency.name.ja.trim() },
      timeZone: agency.timeZone,
      currency: agency.currency.trim().toUpperCase(),
      budgetEnvelope: num(agency.budgetEnvelope),
    })),
    criteria: draft.criteria.map((criterion) => ({
      key: criterion.key.trim(),
      name: { en: criterion.name.en.trim(), ja: criterion.name.ja.trim() },
      scale: criterion.scale,
      halfMarks: criterion.halfMarks,
      weight: num(criterion.weight),
      threshold: orNull(criterion.threshold),
    })),
    overallThreshold: orNull(draft.overallThreshold),
    flagThresholds: { spread: num(draft.spread), agencyGap: num(draft.agencyGap) },
    phases: phaseOrder.flatMap((phase) => (draft.deadlines[phase] ? [{ phase, deadline: draft.deadlines[phase]! }] : [])),
  };
}
