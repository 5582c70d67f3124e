import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { LANGUAGES, PROGRAMME_TYPES, type ProgrammeType } from '../../../shared/enums';
import { LIMITS } from '../../../shared/limits';
import { PROGRAMMES } from '../../../shared/programmes';
import { createCall } from '../../api/calls';
import { queryKeys } from '../../api/queryKeys';
import { ErrorNotice, fieldErrors, Notice } from '../../components/Feedback';
import { useI18n } from '../../components/i18n/I18nProvider';
import { TimeZoneSelect } from '../../components/TimeZoneSelect';
import { useMe } from '../auth/useSession';
import { AgenciesEditor } from '../setup/AgenciesEditor';
import { CriteriaEditor } from '../setup/CriteriaEditor';
import { FieldError, invalidProps } from '../setup/FieldError';
import type { SettingsDraft } from '../setup/settingsDraft';
import { createInputFromDraft, draftFromTemplate } from './callTemplate';

/** The programme's figures from JST's overview, so the admin sees what the template carries. */
function TemplateFacts({ programme }: { programme: ProgrammeType }) {
  const { t, fmt } = useI18n();
  const template = PROGRAMMES[programme];
  return (
    <dl className="facts" aria-label={t('platform.callNew.templateFacts')}>
      <dt>{t('platform.callNew.agencyRule')}</dt>
      <dd>
        {template.agencies.max === null
          ? t('platform.callNew.agenciesAtLeast', { min: template.agencies.min })
          : t('platform.callNew.agenciesExactly', { count: template.agencies.min })}
      </dd>
      <dt>{t('platform.callNew.period')}</dt>
      <dd>{t('platform.callNew.months', { min: template.periodMonths.min, max: template.periodMonths.max })}</dd>
      <dt>{t('platform.callNew.funding')}</dt>
      <dd>
        {fmt.money(template.fundingPerYearJpy.min, 'JPY')} – {fmt.money(template.fundingPerYearJpy.max, 'JPY')}
      </dd>
      <dt>{t('settings.scale')}</dt>
      <dd>{t(`scale.${template.defaultScale}`)}</dd>
    </dl>
  );
}

/** Creating a call (platform administrators): programme template, titles, agencies, criteria and scales. */
export function CreateCallPage() {
  const { t, language } = useI18n();
  const me = useMe();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [programme, setProgramme] = useState<ProgrammeType>('bilateral');
  const [draft, setDraft] = useState<SettingsDraft>(() => draftFromTemplate('bilateral'));
  const create = useMutation({
    mutationFn: () => createCall(createInputFromDraft(programme, draft)),
    onSuccess: ({ call }) => {
      client.invalidateQueries({ queryKey: queryKeys.calls });
      navigate(`/calls/${call.id}/settings`);
    },
  });
  const errors = fieldErrors(create.error);
  const update = (patch: Partial<SettingsDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const onProgramme = (next: ProgrammeType) => {
    setProgramme(next);
    setDraft((d) => draftFromTemplate(next, d));
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  if (me.data && !me.data.isAdmin) return <Notice tone="warning">{t('platform.callNew.adminsOnly')}</Notice>;
  return (
    <form className="form settings-form" onSubmit={onSubmit} aria-labelledby="call-new-title" noValidate>
      <h1 id="call-new-title">{t('platform.callNew.title')}</h1>
      <p className="muted">{t('platform.callNew.intro')}</p>
      <fieldset className="editor">
        <legend>{t('platform.callNew.templateFacts')}</legend>
        <label className="field">
          <span>{t('platform.callNew.programme')}</span>
          <select id="call-programme" value={programme} onChange={(e) => onProgramme(e.target.value as ProgrammeType)} {...invalidProps(errors, 'programme')}>
            {PROGRAMME_TYPES.map((type) => (
              <option key={type} value={type}>
                {PROGRAMMES[type].name[language]}
              </option>
            ))}
          </select>
        </label>
        <FieldError errors={errors} path="programme" />
        <TemplateFacts programme={programme} />
      </fieldset>
      <fieldset className="editor">
        <legend>{t('settings.general')}</legend>
        {LANGUAGES.map((lang) => (
          <div key={lang}>
            <label className="field">
              <span>{t('settings.callTitleIn', { language: t(`language.${lang}`) })}</span>
              <input
                lang={lang}
                required
                maxLength={LIMITS.title}
                value={draft.title[lang]}
                onChange={(e) => update({ title: { ...draft.title, [lang]: e.target.value } })}
                {...invalidProps(errors, `title.${lang}`)}
              />
            </label>
            <FieldError errors={errors} path={`title.${lang}`} />
          </div>
        ))}
        <label className="field">
          <span>{t('settings.callZone')}</span>
          <TimeZoneSelect value={draft.timeZone} onChange={(timeZone) => update({ timeZone })} />
        </label>
        <FieldError errors={errors} path="timeZone" />
      </fieldset>
      <AgenciesEditor agencies={draft.agencies} disabled={false} errors={errors} onChange={(agencies) => update({ agencies })} />
      <CriteriaEditor criteria={draft.criteria} disabled={false} errors={errors} onChange={(criteria) => update({ criteria })} />
      <fieldset className="editor">
        <legend>{t('settings.thresholds')}</legend>
        <label className="field inline">
          <span>{t('settings.overallThreshold')}</span>
          <input type="number" step="any" value={draft.overallThreshold} onChange={(e) => update({ overallThreshold: e.target.value })} {...invalidProps(errors, 'overallThreshold')} />
        </label>
        <FieldError errors={errors} path="overallThreshold" />
        <label className="field inline">
          <span>{t('settings.spreadFlag')}</span>
          <input type="number" step="any" min={0} value={draft.spread} onChange={(e) => update({ spread: e.target.value })} {...invalidProps(errors, 'flagThresholds.spread')} />
        </label>
        <label className="field inline">
          <span>{t('settings.gapFlag')}</span>
          <input type="number" step="any" min={0} value={draft.agencyGap} onChange={(e) => update({ agencyGap: e.target.value })} {...invalidProps(errors, 'flagThresholds.agencyGap')} />
        </label>
        <FieldError errors={errors} path="flagThresholds" />
      </fieldset>
      <p className="muted">{t('platform.callNew.deadlinesLater')}</p>
      {create.error && <ErrorNotice error={create.error} />}
      <div className="actions">
        <button type="submit" className="primary" disabled={create.isPending}>
          {create.isPending ? t('common.saving') : t('platform.callNew.submit')}
        </button>
      </div>
    </form>
  );
}
