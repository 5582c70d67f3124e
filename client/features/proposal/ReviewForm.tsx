import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { SCALES } from '../../../shared/enums';
import { LIMITS } from '../../../shared/limits';
import type { CallDto, ProposalDto, ReviewDto } from '../../api/dto';
import { isVersionConflict } from '../../api/http';
import { fetchMyReview, putMyReview } from '../../api/proposals';
import { queryKeys } from '../../api/queryKeys';
import { discardEdits, SaveOutcome } from '../../components/SaveOutcome';
import { Notice, QueryState } from '../../components/Feedback';
import { useI18n } from '../../components/i18n/I18nProvider';
import { useMe, useViewerZone } from '../auth/useSession';
import { marksOf } from '../scoring/scoring';
import { LiveTotal } from './LiveTotal';
import { useReviewDraft } from './reviewDraft';
import { proposalAllows } from './useProposal';

function Form({ call, proposal, review }: { call: CallDto; proposal: ProposalDto; review: ReviewDto | null }) {
  const { t, fmt, language } = useI18n();
  const zone = useViewerZone();
  const client = useQueryClient();
  const me = useMe();
  const edits = useReviewDraft(me.data?.id ?? '', proposal.id, review);
  const { draft, setDraft, baseVersion, dirty, restored, changedElsewhere, saved: showSaved } = edits;
  const [saved, setSaved] = useState<'draft' | 'submitted' | null>(null);
  const editable = proposalAllows(proposal, 'review:write');
  const submitted = review?.status === 'submitted';
  const save = useMutation({
    mutationFn: ({ submit, version }: { submit: boolean; version: number }) =>
      putMyReview(proposal.id, {
        scores: draft.scores,
        comments: Object.fromEntries(Object.entries(draft.comments).filter(([, text]) => text.trim() !== '')),
        ...(draft.overallComment.trim() ? { overallComment: draft.overallComment } : {}),
        confidence: draft.confidence,
        submit,
        // The version the changes were made on (0 for a first save): a newer save is refused (409), never overwritten.
        version,
      }),
    onSuccess: ({ review: next }) => {
      client.setQueryData(queryKeys.myReview(proposal.id), next);
      showSaved(next);
      setSaved(next.status);
      client.invalidateQueries({ queryKey: ['proposal', proposal.id] });
      client.invalidateQueries({ queryKey: queryKeys.proposals(call.id) });
      // The call's heat map counts submitted reviews (and opens rows once my own is in).
      client.invalidateQueries({ queryKey: queryKeys.callReconciliation(call.id) });
      client.invalidateQueries({ queryKey: queryKeys.calls });
    },
    onError: (error) => {
      // Saved meanwhile from elsewhere: fetch that copy, so the form can say so and offer it (the changes stay).
      if (isVersionConflict(error)) void client.invalidateQueries({ queryKey: queryKeys.myReview(proposal.id) });
    },
  });
  const setScore = (key: string, value: string) =>
    setDraft((d) => {
      const scores = { ...d.scores };
      if (value === '') delete scores[key];
      else scores[key] = Number(value);
      return { ...d, scores };
    });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ submit: true, version: baseVersion });
  };
  return (
    <form className="form review-form" onSubmit={onSubmit} aria-labelledby="my-review-title">
      <h3 id="my-review-title">{t('review.myReview')}</h3>
      <p className="status-line">
        {t('review.status')}: <strong>{t(`reviewStatus.${review?.status ?? 'none'}`)}</strong>
        {review?.submittedAt && <> · {fmt.dateTime(review.submittedAt, zone)}</>}
      </p>
      {!editable && <Notice>{t('review.readOnly')}</Notice>}
      {editable && restored && !changedElsewhere && (
        <Notice>
          <p>{t('review.restoredDraft')}</p>
          <button type="button" onClick={() => discardEdits(save, edits)}>
            {t('common.loadSaved')}
          </button>
        </Notice>
      )}
      <fieldset disabled={!editable || save.isPending}>
        {call.criteria.map((criterion) => {
          const spec = SCALES[criterion.scale];
          const id = `score-${criterion.key}`;
          return (
            <div key={criterion.key} className="criterion-block">
              <label className="field" htmlFor={id}>
                <span>
                  <span lang={language}>{criterion.name[language]}</span>{' '}
                  <span className="muted">
                    {t(`scale.${criterion.scale}`)} · {t('review.weight', { weight: criterion.weight })}
                  </span>
                </span>
                <select id={id} value={draft.scores[criterion.key] ?? ''} onChange={(e) => setScore(criterion.key, e.target.value)}>
                  <option value="">{t('review.noScore')}</option>
                  {marksOf(criterion).map((mark) => (
                    <option key={mark} value={mark}>
                      {fmt.score(mark)}
                      {mark === (spec.direction === 'lower_better' ? spec.min : spec.max) ? ` (${t('review.best')})` : ''}
                    </option>
                  ))}
                </select>
              </label>
              <label className="field">
                <span>{t('review.commentOn', { criterion: criterion.name[language] })}</span>
                <textarea
                  rows={3}
                  maxLength={LIMITS.comment}
                  value={draft.comments[criterion.key] ?? ''}
                  onChange={(e) => setDraft((d) => ({ ...d, comments: { ...d.comments, [criterion.key]: e.target.value } }))}
                />
              </label>
            </div>
          );
        })}
        <label className="field">
          <span>{t('review.overallComment')}</span>
          <textarea rows={4} maxLength={LIMITS.comment} value={draft.overallComment} onChange={(e) => setDraft((d) => ({ ...d, overallComment: e.target.value }))} />
        </label>
        <label className="field inline">
          <span>{t('review.confidence')}</span>
          <select value={draft.confidence} onChange={(e) => setDraft((d) => ({ ...d, confidence: Number(e.target.value) }))}>
            {[1, 2, 3, 4, 5].map((level) => (
              <option key={level} value={level}>
                {level} – {t(`confidence.${level as 1 | 2 | 3 | 4 | 5}`)}
              </option>
            ))}
          </select>
        </label>
      </fieldset>
      <LiveTotal criteria={call.criteria} overallThreshold={call.overallThreshold} scores={draft.scores} />
      <SaveOutcome save={save} sentVersion={save.variables?.version} draft={edits} editable={editable} message={t('review.changedElsewhere')} />
      {saved && <Notice tone="success">{saved === 'submitted' ? t('review.submittedNotice') : t('review.savedNotice')}</Notice>}
      {editable && (
        <div className="actions">
          <button type="button" disabled={save.isPending} onClick={() => save.mutate({ submit: false, version: baseVersion })}>
            {t('review.saveDraft')}
          </button>
          <button type="submit" className="primary" disabled={save.isPending}>
            {submitted ? t('review.resubmit') : t('review.submit')}
          </button>
          {save.isPending ? <span role="status">{t('common.saving')}</span> : dirty && <span className="muted unsaved">{t('review.unsaved')}</span>}
        </div>
      )}
      {submitted && proposalAllows(proposal, 'review:readAll') && (
        <p>
          <Link to="reviews">{t('review.seeAll')}</Link>
        </p>
      )}
    </form>
  );
}

/** My review of a proposal: scores, comments, confidence, with the live weighted total against thresholds. */
export function ReviewForm({ call, proposal }: { call: CallDto; proposal: ProposalDto }) {
  const review = useQuery({ queryKey: queryKeys.myReview(proposal.id), queryFn: async () => (await fetchMyReview(proposal.id)).review });
  return <QueryState query={review}>{(data) => <Form call={call} proposal={proposal} review={data} />}</QueryState>;
}
