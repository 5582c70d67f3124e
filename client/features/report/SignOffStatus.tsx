import { useQuery } from '@tanstack/react-query';
import { ApiRequestError } from '../../api/http';
import { fetchDecision } from '../../api/proposals';
import { queryKeys } from '../../api/queryKeys';
import { ErrorNotice, Loading } from '../../components/Feedback';
import { useI18n } from '../../components/i18n/I18nProvider';
import { reportExportUrl } from './reportApi';

/**
 * Each agency's sign-off of the decision (a change to the report voids it), and the report's
 * exports. People who may not read the decision yet (reviewers before the call is decided) are told so.
 */
export function SignOffStatus({ proposalId, zone }: { proposalId: string; zone: string }) {
  const { t, fmt } = useI18n();
  const decision = useQuery({
    queryKey: queryKeys.decision(proposalId),
    queryFn: async () => (await fetchDecision(proposalId)).decision,
    retry: (count, error) => !(error instanceof ApiRequestError && error.status < 500) && count < 2,
  });
  const hidden = decision.error instanceof ApiRequestError && (decision.error.status === 403 || decision.error.status === 404);
  return (
    <section className="card report-signoffs" aria-labelledby="report-signoffs-title">
      <h4 id="report-signoffs-title">{t('report.signoffs.title')}</h4>
      {hidden ? (
        <p className="muted">{t('report.signoffs.hidden')}</p>
      ) : decision.isPending ? (
        <Loading />
      ) : decision.error ? (
        <ErrorNotice error={decision.error} onRetry={() => decision.refetch()} />
      ) : (
        <>
          {decision.data.signOffs.length > 0 && <p className="muted">{t('report.signoffs.voidNote')}</p>}
          <ul className="report-signoff-list">
            {decision.data.signOffs.map((line) => (
              <li key={line.agency} className={`signoff-${line.status}`} data-agency={line.agency}>
                <span className="agency-tag">{line.agency}</span> {t(`signoff.${line.status}`)}
                {line.signedBy && line.signedAt && (
                  <span className="muted"> · {t('report.signoffs.by', { name: line.signedBy.name, when: fmt.dateTime(line.signedAt, zone) })}</span>
                )}
              </li>
            ))}
          </ul>
          {decision.data.final && <p className="tag tag-final">{t('report.signoffs.final')}</p>}
        </>
      )}
      <h5>{t('report.export.title')}</h5>
      <ul className="report-exports">
        <li>
          <a href={reportExportUrl(proposalId, 'markdown')} download>
            {t('report.export.markdown')}
          </a>
        </li>
        <li>
          <a href={reportExportUrl(proposalId, 'html')} download>
            {t('report.export.print')}
          </a>
        </li>
      </ul>
    </section>
  );
}
