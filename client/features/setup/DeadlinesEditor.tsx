import { PHASES, type Phase } from '../../../shared/enums';
import { DeadlineZones, deadlineZones } from '../../components/DeadlineZones';
import { useI18n } from '../../components/i18n/I18nProvider';
import { useViewerZone } from '../auth/useSession';
import { fromZonedInput, toZonedInput } from './zonedTime';

/** Phase deadlines, typed as wall-clock time in the call's zone and shown in every agency's zone. */
export function DeadlinesEditor({
  deadlines,
  callZone,
  agencies,
  onChange,
  disabled,
}: {
  deadlines: Partial<Record<Phase, string>>;
  callZone: string;
  agencies: { code: string; timeZone: string }[];
  onChange: (next: Partial<Record<Phase, string>>) => void;
  disabled: boolean;
}) {
  const { t } = useI18n();
  const viewerZone = useViewerZone();
  const zones = deadlineZones(viewerZone, callZone, agencies);
  const set = (phase: Phase, local: string) => {
    const next = { ...deadlines };
    const iso = local ? fromZonedInput(local, callZone) : null;
    if (iso) next[phase] = iso;
    else delete next[phase];
    onChange(next);
  };
  return (
    <fieldset className="editor" disabled={disabled}>
      <legend>{t('settings.deadlines')}</legend>
      <p className="muted">{t('settings.deadlinesNote', { zone: callZone })}</p>
      {PHASES.filter((phase) => phase !== 'decided').map((phase) => (
        <div key={phase} className="deadline-row">
          <label className="field inline">
            <span>{t('settings.deadlineOf', { phase: t(`phase.${phase}`), zone: callZone })}</span>
            <input type="datetime-local" value={deadlines[phase] ? toZonedInput(deadlines[phase]!, callZone) : ''} onChange={(e) => set(phase, e.target.value)} />
          </label>
          {deadlines[phase] && <DeadlineZones phase={phase} deadline={deadlines[phase]!} zones={zones} compact />}
        </div>
      ))}
    </fieldset>
  );
}
