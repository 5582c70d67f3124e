import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { LANGUAGES, PHASES } from '../../../shared/enums';
import { updateCall } from '../../api/calls';
import type { CallDto } from '../../api/dto';
import { queryKeys } from '../../api/queryKeys';
import { isVersionConflict } from '../../api/http';
import { discardEdits, SaveOutcome } from '../../components/SaveOutcome';
import { Notice, QueryState } from '../../components/Feedback';
import { useI18n } from '../../components/i18n/I18nProvider';
import { TimeZoneSelect } from '../../components/TimeZoneSelect';
import { useServerDraft } from '../../components/useServerDraft';
import { allows, useCall } from '../calls/useCall';
import { AgenciesEditor } from './AgenciesEditor';
import { CriteriaEditor } from './CriteriaEditor';
import { DeadlinesEditor } from './DeadlinesEditor';
import { draftFromCall, updateFromDraft, type SettingsDraft } from './settingsDraft';

function SettingsForm({ call }: { call: CallDto }) {
  const { t } = useI18n();
  const client = useQueryClient();
  // A phase change meanwhile leaves the settings as they were, so it does not stand in the way of a save.
  const edits = useServerDraft<CallDto, SettingsDraft>(call, (c) => c.version, draftFromCall);
  const { draft, setDraft, baseVersion, dirty, adopt } = edits;
  const writable = allows(call, 'call:update');
  const save = useMutation({
    mutationFn: (version: number) => updateCall(call.id, { ...updateFromDraft(draft, PHASES), version }),
    onSuccess: ({ call: next }) => {
      client.setQueryData(queryKeys.call(call.id), next);
      adopt(next);
      client.invalidateQueries({ queryKey: queryKeys.calls });
    },
    onError: (error) => {
      if (isVersionConflict(error)) void client.invalidateQueries({ queryKey: queryKeys.call(call.id) });
    },
  });
  const update = (patch: Partial<SettingsDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(baseVersion);
  };
  return (
    <form className="form settings-form" onSubmit={onSubmit} aria-labelledby="settings-title">
      <h2 id="settings-title">{t('settings.title')}</h2>
      {!writable && <Notice>{t('settings.readOnly')}</Notice>}
      <fieldset className="editor" disabled={!writable}>
        <legend>{t('settings.general')}</legend>
        {LANGUAGES.map((lang) => (
          <label key={lang} className="field">
            <span>{t('settings.callTitleIn', { language: t(`language.${lang}`) })}</span>
            <input lang={lang} value={draft.title[lang]} onChange={(e) => update({ title: { ...draft.title, [lang]: e.target.value } })} />
          </label>
        ))}
        <label className="field">
          <span>{t('settings.callZone')}</span>
          <TimeZoneSelect value={draft.timeZone} onChange={(timeZone) => update({ timeZone })} />
        </label>
      </fieldset>
      <AgenciesEditor agencies={draft.agencies} disabled={!writable} onChange={(agencies) => update({ agencies })} />
      <CriteriaEditor criteria={draft.criteria} disabled={!writable} onChange={(criteria) => update({ criteria })} />
      <fieldset className="editor" disabled={!writable}>
        <legend>{t('settings.thresholds')}</legend>
        <label className="field inline">
          <span>{t('settings.overallThreshold')}</span>
          <input type="number" step="any" value={draft.overallThreshold} onChange={(e) => update({ overallThreshold: e.target.value })} />
        </label>
        <label className="field inline">
          <span>{t('settings.spreadFlag')}</span>
          <input type="number" step="any" min={0} value={draft.spread} onChange={(e) => update({ spread: e.target.value })} />
        </label>
        <label className="field inline">
          <span>{t('settings.gapFlag')}</span>
          <input type="number" step="any" min={0} value={draft.agencyGap} onChange={(e) => update({ agencyGap: e.target.value })} />
        </label>
      </fieldset>
      <DeadlinesEditor
        deadlines={draft.deadlines}
        callZone={draft.timeZone}
        agencies={draft.agencies}
        disabled={!writable}
        onChange={(deadlines) => update({ deadlines })}
      />
      <SaveOutcome save={save} sentVersion={save.variables} draft={edits} editable={writable} />
      {save.isSuccess && !dirty && <Notice tone="success">{t('settings.saved')}</Notice>}
      {writable && (
        <div className="actions sticky-actions">
          <button type="submit" className="primary" disabled={!dirty || save.isPending}>
            {save.isPending ? t('common.saving') : t('settings.save')}
          </button>
          <button type="button" disabled={!dirty} onClick={() => discardEdits(save, edits)}>
            {t('settings.discard')}
          </button>
        </div>
      )}
    </form>
  );
}

/** Call settings for admins, PD and PO: agencies, criteria and scales, thresholds, deadlines, envelopes. */
export function CallSettingsPage() {
  const call = useCall();
  return <QueryState query={call}>{(data) => <SettingsForm call={data} />}</QueryState>;
}
