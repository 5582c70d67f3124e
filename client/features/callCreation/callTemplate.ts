import { PHASES, SCALES, type ProgrammeType } from '../../../shared/enums';
import {
  DEFAULT_CRITERIA,
  DEFAULT_CRITERION_THRESHOLD,
  DEFAULT_FLAG_THRESHOLDS,
  DEFAULT_OVERALL_THRESHOLD,
  DEFAULT_TIME_ZONE,
  JST_AGENCY_CODE,
  PROGRAMMES,
} from '../../../shared/programmes';
import type { CallCreateInput } from '../../../shared/schemas/call';
import { updateFromDraft, type SettingsDraft } from '../setup/settingsDraft';

const JST = { code: JST_AGENCY_CODE, name: { en: 'Japan Science and Technology Agency', ja: '科学技術振興機構' }, timeZone: 'Asia/Tokyo', currency: 'JPY', budgetEnvelope: '0' };
const counterpart = () => ({ code: '', name: { en: '', ja: '' }, timeZone: 'UTC', currency: 'EUR', budgetEnvelope: '0' });

/**
 * A new call's form, filled from a programme template (shared/programmes): JST plus as many empty
 * counterpart agencies as the programme needs at least, the default criteria on the programme's
 * scale with their thresholds, and flag thresholds that suit that scale. Deadlines are set later
 * in the call's settings.
 */
export function draftFromTemplate(programme: ProgrammeType, keep?: SettingsDraft): SettingsDraft {
  const template = PROGRAMMES[programme];
  const scale = template.defaultScale;
  const agencies = keep?.agencies.length ? [...keep.agencies] : [{ ...JST }];
  while (agencies.length < template.agencies.min) agencies.push(counterpart());
  if (template.agencies.max !== null) agencies.splice(template.agencies.max);
  return {
    title: keep?.title ?? { en: '', ja: '' },
    timeZone: keep?.timeZone ?? DEFAULT_TIME_ZONE,
    agencies,
    criteria: DEFAULT_CRITERIA.map((criterion) => ({
      key: criterion.key,
      name: { ...criterion.name },
      scale,
      halfMarks: SCALES[scale].halfStep,
      weight: '1',
      threshold: String(DEFAULT_CRITERION_THRESHOLD),
    })),
    overallThreshold: String(DEFAULT_OVERALL_THRESHOLD),
    spread: String(DEFAULT_FLAG_THRESHOLDS[scale].spread),
    agencyGap: String(DEFAULT_FLAG_THRESHOLDS[scale].agencyGap),
    deadlines: {},
  };
}

/** The body of POST /api/calls from the form (the server checks every rule again). */
export function createInputFromDraft(programme: ProgrammeType, draft: SettingsDraft): CallCreateInput {
  return { ...updateFromDraft(draft, PHASES), programme } as CallCreateInput;
}
