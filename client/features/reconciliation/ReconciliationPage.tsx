import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { ApiRequestError } from '../../api/http';
import { fetchReconciliation, fetchReviews } from '../../api/proposals';
import { queryKeys } from '../../api/queryKeys';
import { ErrorNotice, Loading, Notice, QueryState } from '../../components/Feedback';
import { useI18n } from '../../components/i18n/I18nProvider';
import { useCall, useCallId } from '../calls/useCall';
import { useProposal } from '../proposal/useProposal';
import { totalRange } from '../scoring/scoring';
import { agencyStyle } from './agencyStyle';
import { MarkerIcon } from './MarkerIcon';
import { ConsensusForm } from './ConsensusForm';
import { DotPlot, type PlotPoint } from './DotPlot';
import { FlagList } from './FlagList';
import { StatsTable } from './StatsTable';
import { useLiveReviews } from './useLiveReviews';

/** Reconciliation of one proposal: dot plots, statistics per side, flags, and the consensus entry. */
export function ReconciliationPage() {
  const { t, fmt, language } = useI18n();
  const call = useCall(useCallId());
  const proposal = useProposal();
  const proposalId = proposal.data?.id ?? '';
  const reconciliation = useQuery({
    queryKey: queryKeys.reconciliation(proposalId),
    queryFn: async () => (await fetchReconciliation(proposalId)).reconciliation,
    enabled: proposalId !== '',
  });
  // Reviewers submitting during a panel show up without a reload: live `review:submitted`, no polling.
  useLiveReviews(proposalId);
  const reviews = useQuery({
    queryKey: queryKeys.reviews(proposalId),
    queryFn: async () => (await fetchReviews(proposalId)).reviews,
    enabled: proposalId !== '',
  });
  // The plot draws the reviews themselves: fetch them again as soon as the statistics move.
  const submittedCount = reconciliation.data?.submitted;
  const refetchReviews = reviews.refetch;
  useEffect(() => {
    if (submittedCount !== undefined) void refetchReviews();
  }, [submittedCount, refetchReviews]);
  if (reconciliation.error instanceof ApiRequestError && reconciliation.error.status === 403) {
    return <Notice>{t('reviews.hiddenUntilSubmitted')}</Notice>;
  }
  if (reconciliation.isPending || !call.data || !proposal.data) return <Loading />;
  if (reconciliation.error) return <ErrorNotice error={reconciliation.error} onRetry={() => reconciliation.refetch()} />;
  const rec = reconciliation.data;
  const callData = call.data;
  const agencies = callData.agencies.map((agency) => agency.code);
  const submitted = (reviews.data ?? []).filter((review) => review.status === 'submitted');
  const means = Object.fromEntries(rec.criteria.map((c) => [c.key, c.overall.mean]));
  return (
    <div className="stack reconciliation" data-submitted={rec.submitted}>
      <section aria-labelledby="rec-summary-title" className="card">
        <h3 id="rec-summary-title">{t('rec.summaryTitle')}</h3>
        <p data-testid="rec-submitted">
          {t('rec.submittedCount', { count: rec.submitted, total: rec.submitted + rec.missingReviewers.length })}
          {' · '}
          {t('rec.totalMean', { mean: fmt.score(rec.total.overall.mean) })}
          {' · '}
          <strong className={rec.passes === false ? 'fail' : rec.passes ? 'pass' : undefined}>
            {rec.passes === null ? t('verdict.pending') : rec.passes ? t('verdict.passes') : t('verdict.fails')}
          </strong>
        </p>
        {rec.missingReviewers.length > 0 && (
          <p>
            {t('rec.missing')}: {rec.missingReviewers.map((reviewer) => reviewer.name).join(', ')}
          </p>
        )}
        <ul className="legend-list" aria-label={t('rec.legend')}>
          {agencies.map((agency, i) => (
            <li key={agency}>
              <MarkerIcon style={agencyStyle(i)} /> {agency}
            </li>
          ))}
        </ul>
        <h4>{t('rec.flags')}</h4>
        <FlagList reconciliation={rec} />
        {reviews.isFetching && <span className="visually-hidden" role="status">{t('common.refreshing')}</span>}
      </section>
      {rec.criteria.map((criterion) => {
        const points: PlotPoint[] = submitted.flatMap((review) => {
          const value = review.scores[criterion.key];
          return value === undefined ? [] : [{ agency: review.agency, value, reviewer: review.reviewer.name }];
        });
        return (
          <section key={criterion.key} className="card criterion-rec" aria-labelledby={`rec-${criterion.key}`}>
            <h3 id={`rec-${criterion.key}`} lang={language}>
              {criterion.name[language]}
            </h3>
            <div className="rec-grid">
              <DotPlot
                id={`plot-${criterion.key}`}
                title={t('rec.plotTitle', { criterion: criterion.name[language] })}
                scale={criterion.scale}
                agencies={agencies}
                points={points}
                means={Object.fromEntries(agencies.map((a) => [a, criterion.byAgency[a]?.mean ?? null]))}
                overallMean={criterion.overall.mean}
                threshold={criterion.threshold}
              />
              <StatsTable stats={criterion} agencies={agencies} caption={t('rec.statsCaption', { criterion: criterion.name[language] })} />
            </div>
          </section>
        );
      })}
      <section className="card" aria-labelledby="rec-total">
        <h3 id="rec-total">{t('stats.weightedTotal')}</h3>
        <p className="muted">
          {t('review.totalRange', totalRange(callData.criteria))}
          {rec.thresholds.overall !== null && ` · ${t('review.overallThreshold', { threshold: rec.thresholds.overall })}`}
        </p>
        <StatsTable stats={rec.total} agencies={agencies} caption={t('rec.statsCaption', { criterion: t('stats.weightedTotal') })} />
      </section>
      <QueryState query={proposal}>
        {(p) => <ConsensusForm call={callData} proposal={p} consensus={rec.consensus} means={means} />}
      </QueryState>
    </div>
  );
}
