import type { RankingDto } from '../../api/dto';
import { useI18n } from '../../components/i18n/I18nProvider';

/** Each agency's own ranking (by its reviewers' mean weighted totals), side by side. */
export function AgencyRankings({ ranking, agencies }: { ranking: RankingDto; agencies: string[] }) {
  const { t, fmt } = useI18n();
  return (
    <section aria-labelledby="agency-rankings-title">
      <h3 id="agency-rankings-title">{t('ranking.byAgency')}</h3>
      <div className="side-by-side">
        {agencies.map((agency) => (
          <table key={agency} className="plain agency-ranking">
            <caption>{t('ranking.agencyCaption', { agency })}</caption>
            <thead>
              <tr>
                <th scope="col" className="num">
                  {t('ranking.rank')}
                </th>
                <th scope="col">{t('proposals.ref')}</th>
                <th scope="col" className="num">
                  {t('ranking.score')}
                </th>
                <th scope="col" className="num">
                  {t('ranking.reviews')}
                </th>
              </tr>
            </thead>
            <tbody>
              {(ranking.agencies[agency] ?? []).map((entry) => (
                <tr key={entry.proposalId}>
                  <td className="num">
                    {entry.rank ?? '–'}
                    {entry.tiedWith.length > 0 && <span className="muted"> {t('ranking.tied')}</span>}
                  </td>
                  <td>{entry.ref}</td>
                  <td className="num">{fmt.score(entry.score)}</td>
                  <td className="num">{entry.n}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      </div>
    </section>
  );
}
