import { useI18n } from '../../components/i18n/I18nProvider';
import { useProposalId } from '../proposal/useProposal';

/**
 * Slot for the consensus report editor (Tiptap + Yjs on /collab, bilingual sections side by side,
 * versions and diffs). Another engineer builds it in this folder; the route and chunk exist.
 */
export function ReportPage() {
  const { t } = useI18n();
  const proposalId = useProposalId();
  return (
    <section className="placeholder" data-proposal-id={proposalId} aria-labelledby="report-title">
      <h3 id="report-title">{t('report.title')}</h3>
      <p className="muted">{t('report.placeholder')}</p>
    </section>
  );
}
