import { useState } from 'react';
import { Link } from 'react-router';
import { useCommentActions } from '../../api/comments';
import { ErrorNotice } from '../../components/Feedback';
import { useI18n } from '../../components/i18n/I18nProvider';
import { CommentComposer } from './CommentComposer';
import { CommentItem } from './CommentItem';
import type { CommentThread, Mentionable } from './threads';

/** What a thread view needs to know about the reader. */
export interface CommentReader {
  userId: string;
  /** Their agency side in the call (for replies' context); null for none. */
  agency: string | null;
  /** Zone every time is shown in. */
  timeZone: string;
  /** `comment:write` on the proposal. */
  canWrite: boolean;
}

/**
 * One thread: an anchored thread's quoted passage, the first comment and its replies, resolve or
 * reopen, and a reply box. Reusable by the report editor's comment rail, which passes `quoteOf`
 * (resolving the anchor against its Y.Doc); elsewhere an anchored thread links to the report.
 */
export function CommentThreadView({
  thread,
  proposalId,
  people,
  reader,
  quoteOf,
  reportHref,
}: {
  thread: CommentThread;
  proposalId: string;
  people: readonly Mentionable[];
  reader: CommentReader;
  /** The report text an anchor points at, or null when it was deleted. */
  quoteOf?: (anchor: string) => string | null;
  /** Where "open in the report" goes for anchored threads (omitted inside the report itself). */
  reportHref?: string;
}) {
  const { t, fmt } = useI18n();
  const actions = useCommentActions();
  const [replying, setReplying] = useState(false);
  const { root, replies } = thread;
  const quote = root.anchor && quoteOf ? quoteOf(root.anchor) : null;
  const toggle = root.resolved ? actions.reopen : actions.resolve;
  return (
    <section
      className={`comment-thread${root.resolved ? ' resolved' : ''}`}
      aria-label={t('comments.threadLabel', { name: root.author.name })}
      data-thread-id={root.id}
      data-visibility={root.visibility}
    >
      {(root.visibility === 'agency' || root.anchor) && (
        <p className="thread-tags">
          {root.visibility === 'agency' && root.agency && <span className="tag agency-only">{t('comments.agencyOnly', { agency: root.agency })}</span>}
          {root.anchor && <span className="tag anchored">{t('comments.anchored')}</span>}
        </p>
      )}
      {quote !== null && (
        <blockquote className="comment-quote" aria-label={t('comments.quoteLabel')}>
          {quote}
        </blockquote>
      )}
      {root.anchor && reportHref && (
        <p className="small">
          <Link to={reportHref}>{t('comments.openReport')}</Link>
        </p>
      )}
      <CommentItem comment={root} people={people} myId={reader.userId} timeZone={reader.timeZone} canWrite={reader.canWrite} />
      {replies.length > 0 && (
        <ol className="comment-replies">
          {replies.map((reply) => (
            <li key={reply.id}>
              <CommentItem comment={reply} people={people} myId={reader.userId} timeZone={reader.timeZone} canWrite={reader.canWrite} />
            </li>
          ))}
        </ol>
      )}
      {root.resolved && (
        <p className="muted small thread-resolved">
          <span aria-hidden="true">✓ </span>
          <time dateTime={root.resolved.at}>{t('comments.resolvedAt', { time: fmt.dateTime(root.resolved.at, reader.timeZone) })}</time>
        </p>
      )}
      {toggle.error && <ErrorNotice error={toggle.error} />}
      {reader.canWrite && (
        <div className="actions thread-actions">
          {!root.resolved && !replying && (
            <button type="button" onClick={() => setReplying(true)}>
              {t('comments.reply')}
            </button>
          )}
          <button type="button" onClick={() => toggle.mutate(root.id)} disabled={toggle.isPending}>
            {root.resolved ? t('comments.reopen') : t('comments.resolve')}
          </button>
        </div>
      )}
      {replying && reader.canWrite && (
        <CommentComposer
          proposalId={proposalId}
          people={people}
          myAgency={reader.agency}
          threadId={root.id}
          replyToName={root.author.name}
          onPosted={() => setReplying(false)}
          onCancel={() => setReplying(false)}
        />
      )}
    </section>
  );
}
