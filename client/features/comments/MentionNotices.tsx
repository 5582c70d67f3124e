import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { commentKeys, type CommentDto } from '../../api/comments';
import { useI18n } from '../../components/i18n/I18nProvider';
import { realtimeSocket } from '../../realtime/socket';

const MAX_NOTICES = 5;

/**
 * Tells the signed-in person, wherever they are, that someone mentioned them (`comment:mentioned`,
 * which the server sends only when they may read the comment), with a link to it. Mount it only
 * for a signed-in person: it opens the shared socket.
 */
export function MentionNotices() {
  const { t } = useI18n();
  const client = useQueryClient();
  const [notices, setNotices] = useState<CommentDto[]>([]);
  useEffect(() => {
    const socket = realtimeSocket();
    const onMentioned = ({ comment }: { comment: CommentDto }) => {
      setNotices((list) => [comment, ...list.filter((c) => c.id !== comment.id)].slice(0, MAX_NOTICES));
      void client.invalidateQueries({ queryKey: commentKeys.unread(comment.callId) });
    };
    socket.on('comment:mentioned', onMentioned);
    return () => void socket.off('comment:mentioned', onMentioned);
  }, [client]);
  const dismiss = (id: string) => setNotices((list) => list.filter((c) => c.id !== id));
  return (
    <section className="mention-notices" aria-label={t('comments.mentionsTitle')} hidden={notices.length === 0}>
      <div role="status" aria-live="polite">
        <ul>
          {notices.map((comment) => (
            <li key={comment.id} className="mention-notice" data-comment-id={comment.id}>
              <span>{t('comments.mentionedYou', { name: comment.author.name })}</span>{' '}
              <Link
                to={`/calls/${comment.callId}/proposals/${comment.proposalId}#comment-${comment.id}`}
                onClick={() => dismiss(comment.id)}
              >
                {t('comments.openComment')}
              </Link>{' '}
              <button type="button" className="link-button" onClick={() => dismiss(comment.id)}>
                {t('comments.dismiss')}
              </button>
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
