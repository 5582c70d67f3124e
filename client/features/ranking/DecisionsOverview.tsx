import { useQueries } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { CallDto, DecisionDto, RankingDto } from '../../api/dto';
import { ApiRequestError } from '../../api/http';
import { fetchDecision } from '../../api/proposals';
import { queryKeys } from '../../api/queryKeys';
import { useI18n } from '../../components/i18n/I18nProvider';

async function decisionOrHidden(proposalId: string): Promise<DecisionDto | null> {
  try {
    return (await fetchDecision(proposalId)).decision;
  } catch (error) {
    if (error instanceof ApiRequestError && error.status === 403) return null;
    throw error;
  }
}

/** Every proposal of the joint list with its decision and each participating agency's sign-off. */
export function DecisionsOverview({ call, ranking }: { call: CallDto; ranking: RankingDto }) {
  const { t } = useI18n();
  const decisions = useQueries({
    queries: ranking.joint.map((entry) => ({ queryKey: queryKeys.decision(entry.proposalId), queryFn: () => decisionOrHidden(entry.proposalId) })),
  });
  const agencies = call.agencies.map((agency) => agency.code);
  return (
    <section aria-labelledby="decisions-title">
      <h3 id="decisions-title">{t('decisions.title')}</h3>
      <div className="table-scroll">
        <table className="plain">
          <thead>
            <tr>
              <th scope="col">{t('proposals.ref')}</th>
              <th scope="col">{t('decisions.decision')}</th>
              {agencies.map((agency) => (
                <th scope="col" key={agency}>
                  {t('decisions.signOffOf', { agency })}
                </th>
              ))}
              <th scope="col">{t('decisions.final')}</th>
            </tr>
          </thead>
          <tbody>
            {ranking.joint.map((entry, i) => {
              const query = decisions[i];
              const decision = query?.data;
              return (
                <tr key={entry.proposalId}>
                  <th scope="row">
                    <Link to={`../proposals/${entry.proposalId}/decision`}>{entry.ref}</Link>
                  </th>
                  {query?.isPending ? (
                    <td colSpan={agencies.length + 2} className="muted" aria-busy="true">
                      {t('common.loading')}
                    </td>
                  ) : !decision ? (
                    <td colSpan={agencies.length + 2} className="muted">
                      {query?.error ? t('error.unexpected') : t('decisions.hidden')}
                    </td>
                  ) : (
                    <>
                      <td>{decision.decision ? t(`decision.${decision.decision.kind}`) : t('decisions.none')}</td>
                      {agencies.map((agency) => {
                        const line = decision.signOffs.find((s) => s.agency === agency);
                        return (
                          <td key={agency} className={line ? `signoff-${line.status}` : undefined}>
                            {line ? t(`signoff.${line.status}`) : t('decisions.notParticipating')}
                          </td>
                        );
                      })}
                      <td>{decision.final ? `✓ ${t('common.yes')}` : t('common.no')}</td>
                    </>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
