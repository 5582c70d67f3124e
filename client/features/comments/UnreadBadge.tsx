import { useUnreadCounts } from '../../api/comments';
import { useI18n } from '../../components/i18n/I18nProvider';

/**
 * The person's unread comments on one proposal, as a badge (number and words, not colour alone);
 * nothing when there are none. All badges of a call share one query of unread counts.
 */
export function UnreadBadge({ callId, proposalId }: { callId: string; proposalId: string }) {
  const { t } = useI18n();
  const counts = useUnreadCounts(callId);
  const count = counts.data?.get(proposalId) ?? 0;
  if (count === 0) return null;
  return (
    <span className="unread-badge" data-unread={count} title={t('comments.unreadLabel', { count })}>
      <span aria-hidden="true">{t('comments.unreadBadge', { count })}</span>
      <span className="visually-hidden">{t('comments.unreadLabel', { count })}</span>
    </span>
  );
}
