import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { LANGUAGES, type ProgrammeType } from '../../../shared/enums';
import { LIMITS } from '../../../shared/limits';
import { JST_AGENCY_CODE, PROGRAMMES } from '../../../shared/programmes';
import { createProposal } from '../../api/calls';
import type { CallDto } from '../../api/dto';
import { queryKeys } from '../../api/queryKeys';
import { ErrorNotice, fieldErrors, Notice, QueryState } from '../../components/Feedback';
import { useI18n } from '../../components/i18n/I18nProvider';
import { allows, useCall } from '../calls/useCall';
import { FieldError, invalidProps } from '../setup/FieldError';
import { PiEditor } from './PiEditor';
import { createInputFromProposalDraft, emptyProposalDraft, fundedAgencies, yearsOf, type ProposalDraft } from './proposalDraft';

function ProposalForm({ call }: { call: CallDto }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const client = useQueryClient();
  const programme = PROGRAMMES[call.programme as ProgrammeType];
  const [draft, setDraft] = useState<ProposalDraft>(() => emptyProposalDraft(call, programme?.periodMonths.min ?? 36));
  const create = useMutation({
    mutationFn: () => createProposal(call.id, createInputFromProposalDraft(call, draft)),
    onSuccess: ({ proposal }) => {
      client.invalidateQueries({ queryKey: queryKeys.proposals(call.id) });
      client.invalidateQueries({ queryKey: queryKeys.callReconciliation(call.id) });
      navigate(`/calls/${call.id}/proposals/${proposal.id}`);
    },
  });
  const errors = fieldErrors(create.error);
  const update = (patch: Partial<ProposalDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const years = yearsOf(draft);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  if (!allows(call, 'proposal:create')) return <Notice tone="warning">{t('platform.proposalNew.notAllowed')}</Notice>;
  return (
    <form className="form settings-form" onSubmit={onSubmit} aria-labelledby="proposal-new-title" noValidate>
      <h2 id="proposal-new-title">{t('platform.proposalNew.title')}</h2>
      <p className="muted">{t('platform.proposalNew.intro')}</p>
      <fieldset className="editor">
        <legend>{t('platform.proposalNew.texts')}</legend>
        {LANGUAGES.map((lang) => (
          <div key={lang}>
            <label className="field">
              <span>{t('platform.proposalNew.titleIn', { language: t(`language.${lang}`) })}</span>
              <input lang={lang} maxLength={LIMITS.title} value={draft.title[lang]} onChange={(e) => update({ title: { ...draft.title, [lang]: e.target.value } })} {...invalidProps(errors, `title.${lang}`)} />
            </label>
            <FieldError errors={errors} path={`title.${lang}`} />
          </div>
        ))}
        <FieldError errors={errors} path="title" exact />
        {LANGUAGES.map((lang) => (
          <div key={lang}>
            <label className="field">
              <span>{t('platform.proposalNew.summaryIn', { language: t(`language.${lang}`) })}</span>
              <textarea lang={lang} rows={4} maxLength={LIMITS.abstract} value={draft.abstract[lang]} onChange={(e) => update({ abstract: { ...draft.abstract, [lang]: e.target.value } })} {...invalidProps(errors, `abstract.${lang}`)} />
            </label>
            <FieldError errors={errors} path={`abstract.${lang}`} />
          </div>
        ))}
        <FieldError errors={errors} path="abstract" exact />
        <label className="field inline">
          <span>{t('platform.proposalNew.period')}</span>
          <input type="number" min={1} step={1} value={draft.periodMonths} onChange={(e) => update({ periodMonths: e.target.value })} {...invalidProps(errors, 'periodMonths')} />
        </label>
        {programme && <p className="muted">{t('platform.callNew.months', { min: programme.periodMonths.min, max: programme.periodMonths.max })}</p>}
        <FieldError errors={errors} path="periodMonths" />
      </fieldset>
      <PiEditor call={call} pis={draft.pis} errors={errors} onChange={(pis) => update({ pis })} />
      <fieldset className="editor">
        <legend>{t('platform.proposalNew.budget')}</legend>
        <p className="muted">{t('platform.proposalNew.budgetNote', { years })}</p>
        {fundedAgencies(call, draft).map((agency) => {
          const currency = call.agencies.find((a) => a.code === agency)?.currency ?? '';
          return (
            <fieldset key={agency} className="editor-row card">
              <legend>{t('platform.proposalNew.budgetOf', { agency, currency })}</legend>
              {Array.from({ length: years }, (_, year) => (
                <label key={year} className="field inline">
                  <span>{t('platform.proposalNew.year', { year: year + 1 })}</span>
                  <input
                    type="number"
                    min={0}
                    step={1}
                    value={draft.budget[agency]?.[year] ?? ''}
                    onChange={(e) => {
                      const amounts = Array.from({ length: years }, (_, i) => draft.budget[agency]?.[i] ?? '');
                      amounts[year] = e.target.value;
                      update({ budget: { ...draft.budget, [agency]: amounts } });
                    }}
                    {...invalidProps(errors, `budget.${agency}.year${year + 1}`)}
                  />
                </label>
              ))}
              <FieldError errors={errors} path={`budget.${agency}`} />
            </fieldset>
          );
        })}
        <FieldError errors={errors} path="budget" exact />
        {draft.pis.every((pi) => pi.agency !== JST_AGENCY_CODE) && <p className="field-error">{t('platform.proposalNew.needsJst')}</p>}
      </fieldset>
      {create.error && <ErrorNotice error={create.error} />}
      <div className="actions">
        <button type="submit" className="primary" disabled={create.isPending}>
          {create.isPending ? t('common.saving') : t('platform.proposalNew.submit')}
        </button>
      </div>
    </form>
  );
}

/** Registering a proposal in a call in setup (admins, PD, PO and officers, as the policy allows). */
export function RegisterProposalPage() {
  const call = useCall();
  return <QueryState query={call}>{(data) => <ProposalForm call={data} />}</QueryState>;
}
