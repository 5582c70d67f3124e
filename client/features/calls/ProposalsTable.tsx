import { Link } from 'react-router';
import type { CallDto } from '../../api/dto';
import { useI18n } from '../../components/i18n/I18nProvider';
import { LocalizedText } from '../../components/Localized';
import { UnreadBadge } from '../comments/UnreadBadge';
import { HeatCell } from '../scoring/HeatCell';
import { totalRange } from '../scoring/scoring';
import type { ProposalRow, SortKey } from './proposalRows';

interface Column {
  key: SortKey;
  label: string;
  numeric?: boolean;
}

/** Column header that sorts on click or Enter/Space (a real button), announcing the order via aria-sort. */
function SortHeader({ column, sort, onSort }: { column: Column; sort: { key: SortKey; ascending: boolean }; onSort: (key: SortKey) => void }) {
  const active = sort.key === column.key;
  return (
    <th scope="col" aria-sort={active ? (sort.ascending ? 'ascending' : 'descending') : 'none'} className={column.numeric ? 'num' : undefined}>
      <button type="button" className="sort-button" onClick={() => onSort(column.key)}>
        {column.label}
        <span aria-hidden="true" className="sort-mark">
          {active ? (sort.ascending ? ' ▲' : ' ▼') : ' ↕'}
        </span>
      </button>
    </th>
  );
}

/** The call's proposals as a heat map: per-criterion means, total, per-agency totals, spread, agency gap, flags. */
export function ProposalsTable({
  call,
  rows,
  sort,
  onSort,
}: {
  call: CallDto;
  rows: ProposalRow[];
  sort: { key: SortKey; ascending: boolean };
  onSort: (key: SortKey) => void;
}) {
  const { t, language } = useI18n();
  const scale = call.criteria[0]?.scale ?? 'zero_to_five';
  const range = totalRange(call.criteria);
  const columns: Column[] = [
    { key: 'ref', label: t('proposals.ref') },
    { key: 'title', label: t('proposals.titleColumn') },
    ...call.criteria.map((criterion) => ({ key: `c:${criterion.key}`, label: criterion.name[language], numeric: true })),
    { key: 'total', label: t('proposals.total'), numeric: true },
    ...call.agencies.map((agency) => ({ key: `a:${agency.code}`, label: t('proposals.agencyMean', { agency: agency.code }), numeric: true })),
    { key: 'spread', label: t('stats.spread'), numeric: true },
    { key: 'gap', label: t('stats.agencyGap'), numeric: true },
    { key: 'flags', label: t('proposals.flags'), numeric: true },
    { key: 'n', label: t('proposals.submitted'), numeric: true },
  ];
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={t('proposals.tableLabel')}>
      <table className="heatmap">
        <caption className="visually-hidden">{t('proposals.caption')}</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <SortHeader key={column.key} column={column} sort={sort} onSort={onSort} />
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const rec = row.reconciliation;
            const hidden = rec === null;
            const flagOf = (kind: 'spread' | 'agency_gap', criterion?: string) =>
              rec?.flags.some((flag) => flag.kind === kind && (criterion === undefined || flag.criterion === criterion)) ?? false;
            return (
              <tr key={row.proposal.id}>
                <th scope="row">
                  <Link to={`proposals/${row.proposal.id}`}>{row.proposal.ref}</Link>
                  <UnreadBadge callId={call.id} proposalId={row.proposal.id} />
                </th>
                <td className="title-cell">
                  <LocalizedText text={row.proposal.title} />
                  {row.proposal.me.assignment && <span className="tag">{t('proposals.assignedToMe')}</span>}
                </td>
                {hidden ? (
                  <td colSpan={columns.length - 2} className="muted">
                    {t('proposals.hiddenUntilSubmitted')}
                  </td>
                ) : (
                  <>
                    {call.criteria.map((criterion) => {
                      const entry = rec?.criteria.find((candidate) => candidate.key === criterion.key);
                      const failing = entry?.passes === false;
                      return (
                        <HeatCell
                          key={criterion.key}
                          value={row.criterionMeans[criterion.key]}
                          scale={criterion.scale}
                          flagged={failing}
                          flagLabel={failing ? t('flag.below_threshold') : undefined}
                        />
                      );
                    })}
                    <HeatCell value={row.total} scale={scale} range={range} flagged={rec?.total.passes === false} flagLabel={t('flag.below_threshold')} />
                    {call.agencies.map((agency) => (
                      <HeatCell key={agency.code} value={row.agencyTotals[agency.code]} scale={scale} range={range} />
                    ))}
                    <NumberCell value={row.spread?.value} flagged={flagOf('spread')} label={t('flag.spread')} />
                    <NumberCell value={row.agencyGap?.value} flagged={flagOf('agency_gap')} label={t('flag.agency_gap')} />
                    <td className="num">{rec ? row.flags : '–'}</td>
                    <td className="num">{rec ? `${rec.submitted}/${rec.submitted + rec.missing}` : '–'}</td>
                  </>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function NumberCell({ value, flagged, label }: { value: number | undefined; flagged: boolean; label: string }) {
  const { fmt } = useI18n();
  if (value === undefined) return <td className="num">–</td>;
  return (
    <td className={flagged ? 'num flagged' : 'num'}>
      {fmt.score(value)}
      {flagged && (
        <span className="flag-mark" role="img" aria-label={label} title={label}>
          {' '}⚑
        </span>
      )}
    </td>
  );
}
