import { useQuery } from '@tanstack/react-query';
import type { CallDto, ReviewDto } from '../../api/dto';
import { ApiRequestError } from '../../api/http';
import { fetchReviews } from '../../api/proposals';
import { queryKeys } from '../../api/queryKeys';
import { ErrorNotice, Loading, Notice, QueryState } from '../../components/Feedback';
import { useI18n } from '../../components/i18n/I18nProvider';
import { useViewerZone } from '../auth/useSession';
import { useCall, useCallId } from '../calls/useCall';
import { useProposalId } from './useProposal';

function ReviewCard({ review, call }: { review: ReviewDto; call: CallDto }) {
  const { t, fmt, language } = useI18n();
  const zone = useViewerZone();
  return (
    <li className="card review-card" data-agency={review.agency}>
      <header className="review-head">
        <h4>
          {review.reviewer.name} <span className="agency-tag">{review.agency}</span>
        </h4>
        <p className="muted">
          {t(`reviewStatus.${review.status}`)}
          {review.submittedAt && ` · ${fmt.dateTime(review.submittedAt, zone)}`}
          {review.confidence !== null && ` · ${t('review.confidence')}: ${review.confidence}/5`}
        </p>
      </header>
      <table className="plain">
        <thead>
          <tr>
            <th scope="col">{t('review.criterion')}</th>
            <th scope="col" className="num">
              {t('review.score')}
            </th>
            <th scope="col">{t('review.comment')}</th>
          </tr>
        </thead>
        <tbody>
          {call.criteria.map((criterion) => (
            <tr key={criterion.key}>
              <th scope="row" lang={language}>
                {criterion.name[language]}
              </th>
              <td className="num">{fmt.score(review.scores[criterion.key])}</td>
              <td>{review.comments[criterion.key] ?? ''}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t('review.weightedTotal')}</th>
            <td className="num">{fmt.score(review.weightedTotal)}</td>
            <td>{review.overallComment ?? ''}</td>
          </tr>
        </tfoot>
      </table>
    </li>
  );
}

/** Everyone's reviews of the proposal, once the viewer's own is submitted (NIH "submit, then read"). */
export function ReviewsPage() {
  const { t } = useI18n();
  const call = useCall(useCallId());
  const proposalId = useProposalId();
  const reviews = useQuery({ queryKey: queryKeys.reviews(proposalId), queryFn: async () => (await fetchReviews(proposalId)).reviews });
  if (reviews.error instanceof ApiRequestError && reviews.error.status === 403) return <Notice>{t('reviews.hiddenUntilSubmitted')}</Notice>;
  if (reviews.isPending) return <Loading />;
  if (reviews.error) return <ErrorNotice error={reviews.error} onRetry={() => reviews.refetch()} />;
  return (
    <QueryState query={call}>
      {(callData) => (
        <section aria-labelledby="reviews-title">
          <h3 id="reviews-title">{t('reviews.title', { count: reviews.data.length })}</h3>
          {reviews.data.length === 0 ? (
            <p className="muted">{t('reviews.none')}</p>
          ) : (
            <ul className="review-list">
              {reviews.data.map((review) => (
                <ReviewCard key={review.id} review={review} call={callData} />
              ))}
            </ul>
          )}
        </section>
      )}
    </QueryState>
  );
}
