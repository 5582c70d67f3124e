import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import type { RankingDto } from '../../api/dto';
import { setTiers } from '../../api/proposals';
import { queryKeys } from '../../api/queryKeys';
import { isVersionConflict } from '../../api/http';
import { SaveOutcome } from '../../components/SaveOutcome';
import { useI18n } from '../../components/i18n/I18nProvider';
import { useServerDraft } from '../../components/useServerDraft';

interface TierDraft {
  label: string;
  lastPosition: string;
}

const tiersOf = (ranking: RankingDto): TierDraft[] => ranking.tiers.map((tier) => ({ label: tier.label, lastPosition: String(tier.lastPosition) }));

/** Cuts the joint list into tiers from the top (each ending lower than the one before). */
export function TiersEditor({ callId, ranking, writable }: { callId: string; ranking: RankingDto; writable: boolean }) {
  const { t } = useI18n();
  const client = useQueryClient();
  // A move in the joint list meanwhile leaves the tiers as they were, so it does not stand in the way of a save.
  const edits = useServerDraft(ranking, (r) => r.version, tiersOf);
  const { draft: tiers, setDraft, baseVersion, adopt } = edits;
  const save = useMutation({
    mutationFn: (version: number) =>
      setTiers(callId, {
        tiers: tiers.map((tier) => ({ label: tier.label.trim(), lastPosition: Number(tier.lastPosition) })),
        version,
      }),
    onSuccess: ({ ranking: next }) => {
      client.setQueryData(queryKeys.ranking(callId), next);
      adopt(next);
    },
    onError: (error) => {
      if (isVersionConflict(error)) void client.invalidateQueries({ queryKey: queryKeys.ranking(callId) });
    },
  });
  const change = (i: number, patch: Partial<TierDraft>) => setDraft((all) => all.map((tier, j) => (j === i ? { ...tier, ...patch } : tier)));
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(baseVersion);
  };
  return (
    <section aria-labelledby="tiers-title">
      <h3 id="tiers-title">{t('ranking.tiers')}</h3>
      {tiers.length === 0 && <p className="muted">{t('ranking.noTiers')}</p>}
      <form className="form" onSubmit={onSubmit}>
        <fieldset disabled={!writable || save.isPending}>
          <legend className="visually-hidden">{t('ranking.tiers')}</legend>
          {tiers.map((tier, i) => (
            <div key={i} className="row">
              <label className="field inline">
                <span>{t('ranking.tierLabel', { n: i + 1 })}</span>
                <input value={tier.label} maxLength={40} required onChange={(e) => change(i, { label: e.target.value })} />
              </label>
              <label className="field inline">
                <span>{t('ranking.tierLast')}</span>
                <input type="number" min={1} max={ranking.joint.length} required value={tier.lastPosition} onChange={(e) => change(i, { lastPosition: e.target.value })} />
              </label>
              {writable && (
                <button type="button" onClick={() => setDraft((all) => all.filter((_, j) => j !== i))}>
                  {t('common.remove')}
                </button>
              )}
            </div>
          ))}
        </fieldset>
        <SaveOutcome save={save} sentVersion={save.variables} draft={edits} editable={writable} />
        {writable && (
          <div className="actions">
            <button type="button" onClick={() => setDraft((all) => [...all, { label: String.fromCharCode(65 + all.length), lastPosition: String(ranking.joint.length) }])}>
              {t('ranking.addTier')}
            </button>
            <button type="submit" className="primary" disabled={tiers.length === 0 || save.isPending}>
              {t('ranking.saveTiers')}
            </button>
          </div>
        )}
      </form>
    </section>
  );
}
