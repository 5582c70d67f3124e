import { LANGUAGES } from '../../../shared/enums';
import { JST_AGENCY_CODE } from '../../../shared/programmes';
import { useI18n } from '../../components/i18n/I18nProvider';
import { TimeZoneSelect } from '../../components/TimeZoneSelect';
import { FieldError } from './FieldError';
import type { SettingsDraft } from './settingsDraft';

type Agencies = SettingsDraft['agencies'];

/** The participating agencies: code, names in both languages, zone, currency and budget envelope. */
export function AgenciesEditor({
  agencies,
  onChange,
  disabled,
  errors,
}: {
  agencies: Agencies;
  onChange: (next: Agencies) => void;
  disabled: boolean;
  /** The server's field problems (paths such as `agencies.1.code`), shown beside each agency. */
  errors?: Readonly<Record<string, string>>;
}) {
  const { t } = useI18n();
  const change = (i: number, patch: Partial<Agencies[number]>) => onChange(agencies.map((agency, j) => (j === i ? { ...agency, ...patch } : agency)));
  return (
    <fieldset className="editor" disabled={disabled}>
      <legend>{t('settings.agencies')}</legend>
      <FieldError errors={errors} path="agencies" exact />
      {agencies.map((agency, i) => (
        <div key={i} className="editor-row card">
          <label className="field">
            <span>{t('settings.agencyCode')}</span>
            <input value={agency.code} maxLength={16} onChange={(e) => change(i, { code: e.target.value.toUpperCase() })} />
          </label>
          {LANGUAGES.map((lang) => (
            <label key={lang} className="field">
              <span>{t('settings.nameIn', { language: t(`language.${lang}`) })}</span>
              <input lang={lang} value={agency.name[lang]} onChange={(e) => change(i, { name: { ...agency.name, [lang]: e.target.value } })} />
            </label>
          ))}
          <label className="field">
            <span>{t('settings.timeZone')}</span>
            <TimeZoneSelect value={agency.timeZone} onChange={(timeZone) => change(i, { timeZone })} />
          </label>
          <label className="field">
            <span>{t('settings.currency')}</span>
            <input value={agency.currency} maxLength={3} onChange={(e) => change(i, { currency: e.target.value.toUpperCase() })} />
          </label>
          <label className="field">
            <span>{t('settings.envelope', { currency: agency.currency })}</span>
            <input type="number" min={0} step={1} value={agency.budgetEnvelope} onChange={(e) => change(i, { budgetEnvelope: e.target.value })} />
          </label>
          <FieldError errors={errors} path={`agencies.${i}`} />
          {agency.code !== JST_AGENCY_CODE && (
            <button type="button" onClick={() => onChange(agencies.filter((_, j) => j !== i))}>
              {t('settings.removeAgency', { code: agency.code || '?' })}
            </button>
          )}
        </div>
      ))}
      <button
        type="button"
        onClick={() => onChange([...agencies, { code: '', name: { en: '', ja: '' }, timeZone: 'UTC', currency: 'EUR', budgetEnvelope: '0' }])}
      >
        {t('settings.addAgency')}
      </button>
    </fieldset>
  );
}
