import type { ReconciliationDto } from '../../api/dto';
import { useI18n } from '../../components/i18n/I18nProvider';

/** The discrepancies to discuss, in words (spread, agency gap, below threshold, missing reviews). */
export function FlagList({ reconciliation }: { reconciliation: ReconciliationDto }) {
  const { t, fmt, language } = useI18n();
  const nameOf = (key: string | null) =>
    key === null ? t('stats.weightedTotal') : (reconciliation.criteria.find((c) => c.key === key)?.name[language] ?? key);
  const flags = reconciliation.flags;
  if (flags.length === 0) return <p className="muted">{t('flag.none')}</p>;
  return (
    <ul className="flag-list">
      {flags.map((flag, i) => (
        <li key={i} className={`flag flag-${flag.kind}`}>
          <span aria-hidden="true">⚑ </span>
          {flag.kind === 'spread' &&
            t('flag.spreadText', { criterion: nameOf(flag.criterion), value: fmt.score(flag.value), threshold: fmt.score(flag.threshold) })}
          {flag.kind === 'agency_gap' &&
            t('flag.gapText', {
              criterion: nameOf(flag.criterion),
              value: fmt.score(flag.value),
              threshold: fmt.score(flag.threshold),
              highest: flag.highest,
              lowest: flag.lowest,
            })}
          {flag.kind === 'below_threshold' &&
            t('flag.belowText', { criterion: nameOf(flag.criterion), value: fmt.score(flag.value), threshold: fmt.score(flag.threshold) })}
          {flag.kind === 'missing_reviews' &&
            t('flag.missingText', { names: reconciliation.missingReviewers.map((r) => r.name).join(', ') || String(flag.reviewerIds.length) })}
        </li>
      ))}
    </ul>
  );
}
