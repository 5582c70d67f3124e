import { JST_AGENCY_CODE } from '../../../shared/programmes';
import { LIMITS } from '../../../shared/limits';
import type { CallDto } from '../../api/dto';
import { useI18n } from '../../components/i18n/I18nProvider';
import { FieldError, invalidProps } from '../setup/FieldError';
import type { PiDraft } from './proposalDraft';

/** The principal investigators: the Japanese PI and the counterpart PIs, each with institution, e-mail and funding agency. */
export function PiEditor({
  call,
  pis,
  errors,
  onChange,
}: {
  call: CallDto;
  pis: PiDraft[];
  errors: Readonly<Record<string, string>>;
  onChange: (next: PiDraft[]) => void;
}) {
  const { t } = useI18n();
  const change = (i: number, patch: Partial<PiDraft>) => onChange(pis.map((pi, j) => (j === i ? { ...pi, ...patch } : pi)));
  const counterpart = call.agencies.find((agency) => agency.code !== JST_AGENCY_CODE)?.code ?? JST_AGENCY_CODE;
  return (
    <fieldset className="editor">
      <legend>{t('platform.proposalNew.pis')}</legend>
      <FieldError errors={errors} path="pis" exact />
      {pis.map((pi, i) => (
        <fieldset key={i} className="editor-row card">
          <legend>{pi.agency === JST_AGENCY_CODE ? t('platform.proposalNew.japanesePi') : t('platform.proposalNew.counterpartPi', { agency: pi.agency })}</legend>
          <label className="field">
            <span>{t('platform.proposalNew.piName')}</span>
            <input value={pi.name} maxLength={LIMITS.shortText} autoComplete="off" onChange={(e) => change(i, { name: e.target.value })} {...invalidProps(errors, `pis.${i}.name`)} />
          </label>
          <label className="field">
            <span>{t('platform.proposalNew.piInstitution')}</span>
            <input value={pi.institution} maxLength={LIMITS.shortText} onChange={(e) => change(i, { institution: e.target.value })} {...invalidProps(errors, `pis.${i}.institution`)} />
          </label>
          <label className="field">
            <span>{t('platform.proposalNew.piEmail')}</span>
            <input type="email" value={pi.email} maxLength={LIMITS.email} onChange={(e) => change(i, { email: e.target.value })} {...invalidProps(errors, `pis.${i}.email`)} />
          </label>
          <label className="field">
            <span>{t('platform.proposalNew.piAgency')}</span>
            <select value={pi.agency} onChange={(e) => change(i, { agency: e.target.value })}>
              {call.agencies.map((agency) => (
                <option key={agency.code} value={agency.code}>
                  {agency.code}
                </option>
              ))}
            </select>
          </label>
          <FieldError errors={errors} path={`pis.${i}`} />
          {pis.length > 1 && (
            <button type="button" onClick={() => onChange(pis.filter((_, j) => j !== i))}>
              {t('platform.proposalNew.removePi', { number: i + 1 })}
            </button>
          )}
        </fieldset>
      ))}
      <button type="button" onClick={() => onChange([...pis, { name: '', institution: '', email: '', agency: counterpart }])}>
        {t('platform.proposalNew.addPi')}
      </button>
    </fieldset>
  );
}
