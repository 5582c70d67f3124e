import { useEffect, useState } from 'react';
import { useLocation } from 'react-router';
import { ErrorNotice, Loading } from '../../components/Feedback';
import { useI18n } from '../../components/i18n/I18nProvider';
import { useMe } from '../auth/useSession';
import { useCall, useCallId } from '../calls/useCall';
import { proposalAllows, useProposal } from '../proposal/useProposal';
import { CommentComposer } from './CommentComposer';
import { CommentThreadView, type CommentReader } from './CommentThreadView';
import { groupThreads } from './threads';
import { useLiveComments, useMentionable } from './useLiveComments';

/**
 * The live comment threads of a proposal, beside its screens: open threads first, resolved ones
 * behind a toggle, a composer for new threads, and a polite announcement of what arrives live.
 */
export function CommentsPanel({ proposalId }: { proposalId: string }) {
  const { t } = useI18n();
  const callId = useCallId();
  const me = useMe();
  const call = useCall(callId);
  const proposal = useProposal(proposalId);
  const myId = me.data?.id;
  const people = useMentionable(callId);
  const { comments, arrived } = useLiveComments(callId, proposalId, myId);
  const [showResolved, setShowResolved] = useState(false);
  const location = useLocation();

  // A link to one comment (a mention notice) scrolls to it once it is drawn, and moves focus there.
  const loaded = comments.data !== undefined;
  useEffect(() => {
    if (!loaded || !location.hash.startsWith('#comment-')) return;
    const target = document.getElementById(location.hash.slice(1));
    if (!target) return;
    target.setAttribute('tabindex', '-1');
    target.scrollIntoView({ block: 'center' });
    target.focus();
  }, [loaded, location.hash]);

  if (comments.isPending || !me.data || !call.data) return <Loading />;
  if (comments.error) return <ErrorNotice error={comments.error} onRetry={() => comments.refetch()} />;
  const reader: CommentReader = {
    userId: me.data.id,
    agency: call.data.me.agency,
    timeZone: me.data.timeZone,
    canWrite: proposalAllows(proposal.data, 'comment:write'),
  };
  const threads = groupThreads(comments.data.comments);
  const open = threads.filter((thread) => !thread.root.resolved);
  const resolved = threads.filter((thread) => thread.root.resolved);
  const shown = showResolved ? [...open, ...resolved] : open;
  const reportHref = `/calls/${callId}/proposals/${proposalId}/report`;

  return (
    <section className="comments-panel" aria-labelledby="comments-title" data-proposal-id={proposalId}>
      <h3 id="comments-title">{t('comments.panelTitle')}</h3>
      <p className="visually-hidden" role="status" aria-live="polite">
        {arrived ? t('comments.arrived', { name: arrived.author.name }) : ''}
      </p>
      {threads.length === 0 && <p className="muted">{t('comments.empty')}</p>}
      <div className="comment-threads">
        {shown.map((thread) => (
          <CommentThreadView key={thread.root.id} thread={thread} proposalId={proposalId} people={people} reader={reader} reportHref={reportHref} />
        ))}
      </div>
      {resolved.length > 0 && (
        <button type="button" className="link-button" aria-expanded={showResolved} onClick={() => setShowResolved((v) => !v)}>
          {showResolved ? t('comments.hideResolved') : t('comments.showResolved', { count: resolved.length })}
        </button>
      )}
      {reader.canWrite && <CommentComposer proposalId={proposalId} people={people} myAgency={reader.agency} />}
    </section>
  );
}
