import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { exportUrls, fetchCallReconciliation } from '../../api/calls';
import { useUnreadCounts } from '../../api/comments';
import { queryKeys } from '../../api/queryKeys';
import { Loading, QueryState } from '../../components/Feedback';
import { useI18n } from '../../components/i18n/I18nProvider';
import { pickLocalized } from '../../components/Localized';
import { buildRow, defaultAscending, sortRows, type SortKey } from './proposalRows';
import { ProposalsTable } from './ProposalsTable';
import { allows, useCall, useCallId, useProposals } from './useCall';

/** The call's proposals: a sortable, filterable heat map of scores, spreads, agency gaps and flags. */
export function CallProposalsPage() {
  const { t, language } = useI18n();
  const callId = useCallId();
  const call = useCall(callId);
  const proposals = useProposals(callId);
  const [text, setText] = useState('');
  const [agency, setAgency] = useState('');
  const [flaggedOnly, setFlaggedOnly] = useState(false);
  const [mineOnly, setMineOnly] = useState(false);
  const [sort, setSort] = useState<{ key: SortKey; ascending: boolean }>({ key: 'ref', ascending: true });
  // One request for the whole call; a proposal missing from it is one the viewer may not read yet.
  const reconciliation = useQuery({
    queryKey: queryKeys.callReconciliation(callId),
    queryFn: async () => (await fetchCallReconciliation(callId)).reconciliation,
  });
  // Started with the page's other requests: the rows' badges read it, and would otherwise ask only once drawn.
  useUnreadCounts(callId);
  const rows = useMemo(() => {
    if (!call.data || !proposals.data) return [];
    const byId = reconciliation.data ? new Map(reconciliation.data.proposals.map((entry) => [entry.proposalId, entry])) : null;
    const all = proposals.data.map((proposal) => buildRow(call.data, proposal, byId ? (byId.get(proposal.id) ?? null) : undefined));
    const needle = text.trim().toLowerCase();
    const titleOf = (row: (typeof all)[number]) => pickLocalized(row.proposal.title, language)?.text ?? '';
    const filtered = all.filter((row) => {
      const p = row.proposal;
      if (agency && !p.agencies.includes(agency)) return false;
      if (flaggedOnly && row.flags === 0) return false;
      if (mineOnly && !p.me.assignment) return false;
      if (!needle) return true;
      const haystack = [p.ref, p.title.en, p.title.ja, ...p.pis.map((pi) => `${pi.name} ${pi.institution}`)].join(' ').toLowerCase();
      return haystack.includes(needle);
    });
    return sortRows(filtered, sort.key, sort.ascending, titleOf);
  }, [call.data, proposals.data, reconciliation.data, text, agency, flaggedOnly, mineOnly, sort, language]);
  const scale = call.data?.criteria[0]?.scale ?? 'zero_to_five';
  const onSort = (key: SortKey) =>
    setSort((current) => ({ key, ascending: current.key === key ? !current.ascending : defaultAscending(key, scale) }));
  return (
    <QueryState query={call}>
      {(callData) => (
        <section aria-labelledby="proposals-title">
          <div className="section-head">
            <h2 id="proposals-title">{t('proposals.title')}</h2>
            {allows(callData, 'export:read') && (
              <p className="exports">
                <span>{t('exports.label')}</span> <a href={exportUrls(callId).scoresCsv}>{t('exports.scoresCsv')}</a>
                {' · '}
                <a href={exportUrls(callId).rankingCsv}>{t('exports.rankingCsv')}</a>
                {' · '}
                <a href={exportUrls(callId).callJson}>{t('exports.callJson')}</a>
              </p>
            )}
          </div>
          <form className="filters" role="search" onSubmit={(e) => e.preventDefault()} aria-label={t('proposals.filters')}>
            <label className="field inline">
              <span>{t('proposals.search')}</span>
              <input type="search" value={text} onChange={(e) => setText(e.target.value)} />
            </label>
            <label className="field inline">
              <span>{t('proposals.agencyFilter')}</span>
              <select value={agency} onChange={(e) => setAgency(e.target.value)}>
                <option value="">{t('proposals.allAgencies')}</option>
                {callData.agencies.map((a) => (
                  <option key={a.code} value={a.code}>
                    {a.code}
                  </option>
                ))}
              </select>
            </label>
            <label className="check">
              <input type="checkbox" checked={flaggedOnly} onChange={(e) => setFlaggedOnly(e.target.checked)} />
              {t('proposals.flaggedOnly')}
            </label>
            <label className="check">
              <input type="checkbox" checked={mineOnly} onChange={(e) => setMineOnly(e.target.checked)} />
              {t('proposals.mineOnly')}
            </label>
          </form>
          <p className="legend muted">
            {t('proposals.legend', { spread: callData.flagThresholds.spread, gap: callData.flagThresholds.agencyGap })}
          </p>
          {allows(callData, 'proposal:create') && (
            <p>
              <Link className="button" to="proposals/new">
                {t('platform.proposalNew.link')}
              </Link>
            </p>
          )}
          {reconciliation.isPending && (
            // Busy while the statistics load: the spread, gap and flag columns are not filled yet.
            <p role="status" className="muted" aria-busy="true">
              {t('proposals.loadingStats')}
            </p>
          )}
          {proposals.isPending ? (
            <Loading />
          ) : (
            <>
              <p className="muted" aria-live="polite">
                {t('proposals.count', { shown: rows.length, total: proposals.data?.length ?? 0 })}
              </p>
              <ProposalsTable call={callData} rows={rows} sort={sort} onSort={onSort} />
            </>
          )}
        </section>
      )}
    </QueryState>
  );
}
