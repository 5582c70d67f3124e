import { useI18n } from '../../components/i18n/I18nProvider';

/**
 * Slot for the live comment threads of a proposal (Socket.IO `comment:*`, REST
 * /api/proposals/:id/comments). Another engineer builds them here; this placeholder keeps the
 * layout and the lazy chunk in place.
 */
export function CommentsPanel({ proposalId }: { proposalId: string }) {
  const { t } = useI18n();
  return (
    <section className="placeholder" data-proposal-id={proposalId} aria-labelledby="comments-title">
      <h3 id="comments-title">{t('comments.title')}</h3>
      <p className="muted">{t('comments.placeholder')}</p>
    </section>
  );
}
