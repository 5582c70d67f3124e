import type { ScoreStatsDto, SidedStatsDto } from '../../api/dto';
import { useI18n } from '../../components/i18n/I18nProvider';
import { agencyStyle } from './agencyStyle';
import { MarkerIcon } from './MarkerIcon';

const COLUMNS = ['n', 'mean', 'median', 'min', 'max', 'spread', 'sd'] as const;

/** n, mean, median, min, max, spread and sd overall and per agency, with the gap between agency means. */
export function StatsTable({ stats, agencies, caption }: { stats: SidedStatsDto; agencies: string[]; caption: string }) {
  const { t, fmt } = useI18n();
  const cells = (row: ScoreStatsDto) =>
    COLUMNS.map((column) => (
      <td key={column} className="num">
        {column === 'n' ? row.n : fmt.score(row[column])}
      </td>
    ));
  return (
    <table className="plain stats-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('stats.side')}</th>
          {COLUMNS.map((column) => (
            <th scope="col" key={column} className="num">
              {t(`stats.${column}`)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        <tr className="overall">
          <th scope="row">{t('stats.overall')}</th>
          {cells(stats.overall)}
        </tr>
        {agencies.map((agency, i) => (
          <tr key={agency}>
            <th scope="row">
              <MarkerIcon style={agencyStyle(i)} /> {agency}
            </th>
            {cells(stats.byAgency[agency] ?? { n: 0, mean: null, median: null, min: null, max: null, spread: null, sd: null })}
          </tr>
        ))}
      </tbody>
      {stats.agencyGap && (
        <tfoot>
          <tr>
            <th scope="row">{t('stats.agencyGap')}</th>
            <td colSpan={COLUMNS.length}>
              {t('stats.gapBetween', { gap: fmt.score(stats.agencyGap.gap), highest: stats.agencyGap.highest, lowest: stats.agencyGap.lowest })}
            </td>
          </tr>
        </tfoot>
      )}
    </table>
  );
}
