import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { DECISION_KINDS, LANGUAGES, type DecisionKind, type Language } from '../../../shared/enums';
import { LIMITS } from '../../../shared/limits';
import type { DecisionDto } from '../../api/dto';
import { ApiRequestError, isVersionConflict } from '../../api/http';
import { fetchDecision, putDecision, signOff } from '../../api/proposals';
import { queryKeys } from '../../api/queryKeys';
import { SaveOutcome } from '../../components/SaveOutcome';
import { ErrorNotice, Loading, Notice } from '../../components/Feedback';
import { useI18n } from '../../components/i18n/I18nProvider';
import { useServerDraft } from '../../components/useServerDraft';
import { useViewerZone } from '../auth/useSession';
import { proposalAllows, useProposal, useProposalId } from '../proposal/useProposal';

function SignOffTable({ decision }: { decision: DecisionDto }) {
  const { t, fmt } = useI18n();
  const zone = useViewerZone();
  return (
    <table className="plain">
      <caption>{t('decisions.signOffs')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('proposal.agency')}</th>
          <th scope="col">{t('decisions.status')}</th>
          <th scope="col">{t('decisions.signedBy')}</th>
        </tr>
      </thead>
      <tbody>
        {decision.signOffs.map((line) => (
          <tr key={line.agency} className={`signoff-${line.status}`}>
            <th scope="row">{line.agency}</th>
            <td>{t(`signoff.${line.status}`)}</td>
            <td>
              {line.signedBy ? `${line.signedBy.name} · ${fmt.dateTime(line.signedAt!, zone)}` : '–'}
              {line.voidedAt && ` · ${t('decisions.voidedAt', { when: fmt.dateTime(line.voidedAt, zone) })}`}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** What the decision form edits. */
interface DecisionDraft {
  kind: DecisionKind | '';
  conditions: Record<Language, string>;
}

function decisionDraftOf(data: DecisionDto | undefined): DecisionDraft {
  const current = data?.decision;
  return { kind: current?.kind ?? '', conditions: { en: current?.conditions?.en ?? '', ja: current?.conditions?.ja ?? '' } };
}

/** The joint decision on a proposal, its conditions, and every participating agency's sign-off. */
export function DecisionPage() {
  const { t } = useI18n();
  const client = useQueryClient();
  const proposalId = useProposalId();
  const proposal = useProposal(proposalId);
  const decision = useQuery({ queryKey: queryKeys.decision(proposalId), queryFn: async () => (await fetchDecision(proposalId)).decision });
  // A sign-off meanwhile leaves the decision as it was, so it does not stand in the way of a save.
  const edits = useServerDraft(decision.data, (d) => d?.version ?? 0, decisionDraftOf);
  const { draft, setDraft, baseVersion, adopt } = edits;
  const { kind, conditions } = draft;
  const setKind = (next: DecisionKind | '') => setDraft((d) => ({ ...d, kind: next }));
  const setConditions = (change: (c: Record<Language, string>) => Record<Language, string>) => setDraft((d) => ({ ...d, conditions: change(d.conditions) }));
  const onSaved = ({ decision: next }: { decision: DecisionDto }) => {
    client.setQueryData(queryKeys.decision(proposalId), next);
    adopt(next);
  };
  const save = useMutation({
    mutationFn: (version: number) => {
      const written = Object.fromEntries(LANGUAGES.filter((lang) => conditions[lang].trim()).map((lang) => [lang, conditions[lang].trim()]));
      return putDecision(proposalId, {
        kind: kind as DecisionKind,
        ...(kind === 'fund_with_conditions' ? { conditions: written } : {}),
        // The version the edits were made on: a decision set meanwhile by someone else is refused (409), not overwritten.
        version,
      });
    },
    onSuccess: onSaved,
    onError: (error) => {
      if (isVersionConflict(error)) void client.invalidateQueries({ queryKey: queryKeys.decision(proposalId) });
    },
  });
  // Only the page's copy: unsaved edits of the form stay (the sign-off leaves the decision as it was).
  const sign = useMutation({
    mutationFn: () => signOff(proposalId, decision.data!.contentHash),
    onSuccess: ({ decision: next }) => client.setQueryData(queryKeys.decision(proposalId), next),
  });
  if (decision.error instanceof ApiRequestError && decision.error.status === 403) return <Notice>{t('decisions.hiddenUntilDecided')}</Notice>;
  if (decision.isPending || !proposal.data) return <Loading />;
  if (decision.error) return <ErrorNotice error={decision.error} onRetry={() => decision.refetch()} />;
  const data = decision.data;
  const writable = proposalAllows(proposal.data, 'decision:write');
  const canSign = proposalAllows(proposal.data, 'signoff:write') && data.mySigningAgency !== null && data.decision !== null;
  const mine = data.signOffs.find((line) => line.agency === data.mySigningAgency);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (kind) save.mutate(baseVersion);
  };
  return (
    <div className="stack">
      <section className="card" aria-labelledby="decision-title">
        <h3 id="decision-title">{t('decisions.decision')}</h3>
        <p>
          <strong>{data.decision ? t(`decision.${data.decision.kind}`) : t('decisions.none')}</strong>
          {data.final && <span className="tag tag-final">{t('decisions.finalTag')}</span>}
        </p>
        <form className="form" onSubmit={onSubmit}>
          <fieldset disabled={!writable || save.isPending}>
            <legend className="visually-hidden">{t('decisions.decision')}</legend>
            <label className="field inline">
              <span>{t('decisions.kind')}</span>
              <select value={kind} onChange={(e) => setKind(e.target.value as DecisionKind | '')}>
                <option value="">{t('decisions.choose')}</option>
                {DECISION_KINDS.map((option) => (
                  <option key={option} value={option}>
                    {t(`decision.${option}`)}
                  </option>
                ))}
              </select>
            </label>
            {kind === 'fund_with_conditions' &&
              LANGUAGES.map((lang) => (
                <label key={lang} className="field">
                  <span>{t('decisions.conditionsIn', { language: t(`language.${lang}`) })}</span>
                  <textarea lang={lang} rows={3} maxLength={LIMITS.rationale} value={conditions[lang]} onChange={(e) => setConditions((c) => ({ ...c, [lang]: e.target.value }))} />
                </label>
              ))}
          </fieldset>
          {writable && <p className="muted">{t('decisions.voidWarning')}</p>}
          <SaveOutcome save={save} sentVersion={save.variables} draft={edits} />
          {writable && (
            <button type="submit" className="primary" disabled={!kind || save.isPending}>
              {t('decisions.save')}
            </button>
          )}
        </form>
      </section>
      <section className="card" aria-labelledby="signoff-title">
        <h3 id="signoff-title">{t('decisions.signOffs')}</h3>
        <SignOffTable decision={data} />
        {canSign && mine?.status !== 'valid' && (
          <div className="actions">
            <button type="button" className="primary" disabled={sign.isPending} onClick={() => sign.mutate()}>
              {t('decisions.signFor', { agency: data.mySigningAgency! })}
            </button>
          </div>
        )}
        {sign.error && <ErrorNotice error={sign.error} />}
      </section>
    </div>
  );
}
