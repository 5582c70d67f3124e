import { LANGUAGES, SCALE_KINDS, SCALES, type ScaleKind } from '../../../shared/enums';
import { useI18n } from '../../components/i18n/I18nProvider';
import { FieldError } from './FieldError';
import type { SettingsDraft } from './settingsDraft';

type Criteria = SettingsDraft['criteria'];

/** The scored criteria: key, names, scale, half marks, weight and threshold. */
export function CriteriaEditor({
  criteria,
  onChange,
  disabled,
  errors,
}: {
  criteria: Criteria;
  onChange: (next: Criteria) => void;
  disabled: boolean;
  /** The server's field problems (paths such as `criteria.0.threshold`), shown beside each criterion. */
  errors?: Readonly<Record<string, string>>;
}) {
  const { t } = useI18n();
  const change = (i: number, patch: Partial<Criteria[number]>) => onChange(criteria.map((c, j) => (j === i ? { ...c, ...patch } : c)));
  return (
    <fieldset className="editor" disabled={disabled}>
      <legend>{t('settings.criteria')}</legend>
      <p className="muted">{t('settings.criteriaNote')}</p>
      <FieldError errors={errors} path="criteria" exact />
      {criteria.map((criterion, i) => (
        <div key={i} className="editor-row card">
          <label className="field">
            <span>{t('settings.criterionKey')}</span>
            <input value={criterion.key} maxLength={40} onChange={(e) => change(i, { key: e.target.value })} />
          </label>
          {LANGUAGES.map((lang) => (
            <label key={lang} className="field">
              <span>{t('settings.nameIn', { language: t(`language.${lang}`) })}</span>
              <input lang={lang} value={criterion.name[lang]} onChange={(e) => change(i, { name: { ...criterion.name, [lang]: e.target.value } })} />
            </label>
          ))}
          <label className="field">
            <span>{t('settings.scale')}</span>
            <select
              value={criterion.scale}
              onChange={(e) => {
                const scale = e.target.value as ScaleKind;
                change(i, { scale, halfMarks: SCALES[scale].halfStep && criterion.halfMarks });
              }}
            >
              {SCALE_KINDS.map((kind) => (
                <option key={kind} value={kind}>
                  {t(`scale.${kind}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={criterion.halfMarks}
              disabled={!SCALES[criterion.scale].halfStep}
              onChange={(e) => change(i, { halfMarks: e.target.checked })}
            />
            {t('settings.halfMarks')}
          </label>
          <label className="field">
            <span>{t('settings.weight')}</span>
            <input type="number" min={0} step="any" value={criterion.weight} onChange={(e) => change(i, { weight: e.target.value })} />
          </label>
          <label className="field">
            <span>{t('settings.threshold')}</span>
            <input type="number" step="0.5" value={criterion.threshold} onChange={(e) => change(i, { threshold: e.target.value })} />
          </label>
          <FieldError errors={errors} path={`criteria.${i}`} />
          {criteria.length > 1 && (
            <button type="button" onClick={() => onChange(criteria.filter((_, j) => j !== i))}>
              {t('settings.removeCriterion', { key: criterion.key || '?' })}
            </button>
          )}
        </div>
      ))}
      <button
        type="button"
        onClick={() =>
          onChange([
            ...criteria,
            { key: '', name: { en: '', ja: '' }, scale: criteria[0]?.scale ?? 'zero_to_five', halfMarks: false, weight: '1', threshold: '' },
          ])
        }
      >
        {t('settings.addCriterion')}
      </button>
    </fieldset>
  );
}
