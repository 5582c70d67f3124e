import type { RankingDto } from '../../api/dto';
import { useI18n } from '../../components/i18n/I18nProvider';

/** Each agency's envelope, what the joint list commits above its line, and where the line falls. */
export function FundingLines({ ranking }: { ranking: RankingDto }) {
  const { t, fmt } = useI18n();
  return (
    <section aria-labelledby="funding-title">
      <h3 id="funding-title">{t('ranking.fundingLines')}</h3>
      <table className="plain">
        <thead>
          <tr>
            <th scope="col">{t('proposal.agency')}</th>
            <th scope="col" className="num">
              {t('ranking.envelope')}
            </th>
            <th scope="col" className="num">
              {t('ranking.committed')}
            </th>
            <th scope="col" className="num">
              {t('ranking.remaining')}
            </th>
            <th scope="col">{t('ranking.lineAfter')}</th>
          </tr>
        </thead>
        <tbody>
          {ranking.fundingLines.map((line) => (
            <tr key={line.agency}>
              <th scope="row">{line.agency}</th>
              <td className="num">{fmt.money(line.envelope, line.currency)}</td>
              <td className="num">{fmt.money(line.committed, line.currency)}</td>
              <td className="num">{fmt.money(line.remaining, line.currency)}</td>
              <td>
                {line.lastWithin === null
                  ? t('ranking.lineNone')
                  : line.firstBelow === null
                    ? t('ranking.lineAll')
                    : t('ranking.linePosition', { position: line.lastWithin })}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
