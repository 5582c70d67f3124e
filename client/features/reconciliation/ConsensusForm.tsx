import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { DECISION_KINDS, LANGUAGES, type DecisionKind, type Language } from '../../../shared/enums';
import { LIMITS } from '../../../shared/limits';
import type { ConsensusPutInput } from '../../../shared/schemas/consensus';
import type { CallDto, ConsensusDto, ProposalDto, ReconciliationDto } from '../../api/dto';
import { putConsensus } from '../../api/proposals';
import { queryKeys } from '../../api/queryKeys';
import { isVersionConflict } from '../../api/http';
import { SaveOutcome } from '../../components/SaveOutcome';
import { Notice } from '../../components/Feedback';
import { useI18n } from '../../components/i18n/I18nProvider';
import { useServerDraft } from '../../components/useServerDraft';
import { marksOf } from '../scoring/scoring';

type Texts = Record<Language, string>;
interface CriterionDraft {
  score: string;
  rationale: Texts;
  minority: Record<string, Texts>;
}
interface Draft {
  criteria: Record<string, CriterionDraft>;
  summary: Texts;
  recommendation: DecisionKind | '';
}

const empty = (): Texts => ({ en: '', ja: '' });
const blankCriterion = (): CriterionDraft => ({ score: '', rationale: empty(), minority: {} });
const texts = (value: { en?: string; ja?: string } | null | undefined): Texts => ({ en: value?.en ?? '', ja: value?.ja ?? '' });
/** A LocalizedText with only the languages actually written, or undefined when neither is. */
const localized = (value: Texts) => {
  const out = Object.fromEntries(LANGUAGES.filter((lang) => value[lang].trim()).map((lang) => [lang, value[lang].trim()]));
  return Object.keys(out).length ? out : undefined;
};

function draftOf(call: CallDto, agencies: string[], consensus: ConsensusDto | null): Draft {
  return {
    criteria: Object.fromEntries(
      call.criteria.map((criterion) => {
        const entry = consensus?.criteria[criterion.key];
        const minority = Object.fromEntries(
          agencies.map((agency) => [agency, texts(entry?.minorityViews.find((view) => view.agency === agency)?.text)]),
        );
        return [criterion.key, { score: entry ? String(entry.score) : '', rationale: texts(entry?.rationale), minority }];
      }),
    ),
    summary: texts(consensus?.summary),
    recommendation: consensus?.recommendation ?? '',
  };
}

function toInput(draft: Draft, version: number | undefined): ConsensusPutInput {
  const criteria: ConsensusPutInput['criteria'] = {};
  for (const [key, entry] of Object.entries(draft.criteria)) {
    if (entry.score === '') continue;
    const rationale = localized(entry.rationale);
    criteria[key] = {
      score: Number(entry.score),
      ...(rationale ? { rationale } : {}),
      minorityViews: Object.entries(entry.minority).flatMap(([agency, text]) => {
        const value = localized(text);
        return value ? [{ agency, text: value }] : [];
      }),
    };
  }
  const summary = localized(draft.summary);
  return {
    criteria,
    ...(summary ? { summary } : {}),
    ...(draft.recommendation ? { recommendation: draft.recommendation } : {}),
    version: version ?? 0,
  };
}

/** Two textareas, English and Japanese, side by side. */
function BilingualInput({ label, value, onChange, disabled }: { label: string; value: Texts; onChange: (next: Texts) => void; disabled: boolean }) {
  const { t } = useI18n();
  return (
    <fieldset className="bilingual-input" disabled={disabled}>
      <legend>{label}</legend>
      {LANGUAGES.map((lang) => (
        <label key={lang} className="field">
          <span>{t(`language.${lang}`)}</span>
          <textarea lang={lang} rows={3} maxLength={LIMITS.rationale} value={value[lang]} onChange={(e) => onChange({ ...value, [lang]: e.target.value })} />
        </label>
      ))}
    </fieldset>
  );
}

/** Consensus scores per criterion with rationale and per-agency minority views, summary and recommendation. */
export function ConsensusForm({ call, proposal, consensus, means }: { call: CallDto; proposal: ProposalDto; consensus: ConsensusDto | null; means: Record<string, number | null> }) {
  const { t, fmt, language } = useI18n();
  const client = useQueryClient();
  const writable = proposal.me.allowed.includes('consensus:write');
  const edits = useServerDraft(
    consensus,
    (c) => c?.version ?? 0,
    (c) => draftOf(call, proposal.agencies, c),
    { same: (a, b) => JSON.stringify(toInput(a, 0)) === JSON.stringify(toInput(b, 0)) },
  );
  const { draft, setDraft: update, baseVersion, dirty, adopt } = edits;
  const save = useMutation({
    // The version the edits were made on: a consensus saved meanwhile by someone else is refused (409), not overwritten.
    mutationFn: (version: number) => putConsensus(proposal.id, toInput(draft, version)),
    onSuccess: ({ consensus: next }) => {
      adopt(next);
      // The page's copy too, at once (its outcome line reads it); the refetch then brings the statistics.
      client.setQueryData<ReconciliationDto>(queryKeys.reconciliation(proposal.id), (rec) => (rec ? { ...rec, consensus: next } : rec));
      client.invalidateQueries({ queryKey: queryKeys.reconciliation(proposal.id) });
      client.invalidateQueries({ queryKey: queryKeys.decision(proposal.id) });
    },
    onError: (error) => {
      // Saved meanwhile by someone else: fetch it, so the form can say so and offer it (the edits stay).
      if (isVersionConflict(error)) void client.invalidateQueries({ queryKey: queryKeys.reconciliation(proposal.id) });
    },
  });
  const setCriterion = (key: string, change: Partial<CriterionDraft>) =>
    update((d) => ({ ...d, criteria: { ...d.criteria, [key]: { ...(d.criteria[key] ?? blankCriterion()), ...change } } }));
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(baseVersion);
  };
  return (
    <form className="form consensus-form" onSubmit={onSubmit} aria-labelledby="consensus-title">
      <h3 id="consensus-title">{t('consensus.title')}</h3>
      {!writable && <Notice>{t('consensus.readOnly')}</Notice>}
      {consensus && (
        <p className="muted">
          {t('consensus.outcome', { total: fmt.score(consensus.outcome.total) })}{' '}
          {consensus.outcome.passes === null ? t('verdict.pending') : consensus.outcome.passes ? t('verdict.passes') : t('verdict.fails')}
        </p>
      )}
      {call.criteria.map((criterion) => {
        // A criterion added to the call after the form took its copy starts empty (criteria lock once reviews exist).
        const entry = draft.criteria[criterion.key] ?? blankCriterion();
        const outside = consensus?.outsideReviewRange.includes(criterion.key);
        return (
          <fieldset key={criterion.key} className="consensus-criterion" disabled={!writable}>
            <legend lang={language}>{criterion.name[language]}</legend>
            <label className="field inline">
              <span>{t('consensus.score')}</span>
              <select value={entry.score} onChange={(e) => setCriterion(criterion.key, { score: e.target.value })}>
                <option value="">{t('review.noScore')}</option>
                {marksOf(criterion).map((mark) => (
                  <option key={mark} value={mark}>
                    {fmt.score(mark)}
                  </option>
                ))}
              </select>
              <span className="muted">{t('consensus.reviewMean', { mean: fmt.score(means[criterion.key]) })}</span>
            </label>
            {outside && <Notice tone="warning">{t('consensus.outsideRange')}</Notice>}
            <BilingualInput label={t('consensus.rationale')} value={entry.rationale} disabled={!writable} onChange={(rationale) => setCriterion(criterion.key, { rationale })} />
            <details>
              <summary>{t('consensus.minorityViews')}</summary>
              {proposal.agencies.map((agency) => (
                <BilingualInput
                  key={agency}
                  label={t('consensus.minorityOf', { agency })}
                  value={entry.minority[agency] ?? empty()}
                  disabled={!writable}
                  onChange={(text) => setCriterion(criterion.key, { minority: { ...entry.minority, [agency]: text } })}
                />
              ))}
            </details>
          </fieldset>
        );
      })}
      <BilingualInput label={t('consensus.summary')} value={draft.summary} disabled={!writable} onChange={(summary) => update((d) => ({ ...d, summary }))} />
      <label className="field inline">
        <span>{t('consensus.recommendation')}</span>
        <select
          disabled={!writable}
          value={draft.recommendation}
          onChange={(e) => update((d) => ({ ...d, recommendation: e.target.value as DecisionKind | '' }))}
        >
          <option value="">{t('consensus.noRecommendation')}</option>
          {DECISION_KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {t(`decision.${kind}`)}
            </option>
          ))}
        </select>
      </label>
      <SaveOutcome save={save} sentVersion={save.variables} draft={edits} editable={writable} />
      {save.isSuccess && !dirty && <Notice tone="success">{t('consensus.saved')}</Notice>}
      {writable && (
        <div className="actions">
          <button type="submit" className="primary" disabled={save.isPending || !dirty}>
            {save.isPending ? t('common.saving') : t('consensus.save')}
          </button>
        </div>
      )}
    </form>
  );
}
