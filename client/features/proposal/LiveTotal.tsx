import { SCALES } from '../../../shared/enums';
import type { Criterion } from '../../../shared/schemas/call';
import { useI18n } from '../../components/i18n/I18nProvider';
import { meetsThreshold, totalRange, weightedTotal } from '../scoring/scoring';

/**
 * The weighted total of the scores being entered, against the overall threshold, and each
 * criterion against its own (direction-aware, as the server judges them).
 */
export function LiveTotal({ criteria, overallThreshold, scores }: { criteria: Criterion[]; overallThreshold: number | null; scores: Record<string, number> }) {
  const { t, fmt, language } = useI18n();
  const total = weightedTotal(criteria, scores);
  const range = totalRange(criteria);
  const scale = criteria[0]?.scale ?? 'zero_to_five';
  const lowerBetter = SCALES[scale].direction === 'lower_better';
  const totalPasses = total === null || overallThreshold === null ? null : meetsThreshold(scale, total, overallThreshold);
  return (
    <section className="live-total" aria-labelledby="live-total-title" aria-live="polite">
      <h4 id="live-total-title">{t('review.liveTotal')}</h4>
      <p className="total-line">
        <strong className="total-value" data-testid="live-total">
          {total === null ? t('review.totalIncomplete') : fmt.score(total)}
        </strong>{' '}
        <span className="muted">{t('review.totalRange', { min: range.min, max: range.max })}</span>
        {lowerBetter && <span className="muted"> · {t('review.lowerIsBetter')}</span>}
      </p>
      {overallThreshold !== null && (
        <p className={totalPasses === false ? 'verdict fail' : totalPasses ? 'verdict pass' : 'verdict'}>
          {t('review.overallThreshold', { threshold: overallThreshold })}:{' '}
          {totalPasses === null ? t('verdict.pending') : totalPasses ? t('verdict.passes') : t('verdict.fails')}
        </p>
      )}
      <ul className="criterion-verdicts">
        {criteria.map((criterion) => {
          const score = scores[criterion.key];
          const passes =
            score === undefined || criterion.threshold === null ? null : meetsThreshold(criterion.scale, score, criterion.threshold);
          return (
            <li key={criterion.key} className={passes === false ? 'fail' : passes ? 'pass' : undefined}>
              <span lang={language}>{criterion.name[language]}</span>:{' '}
              {score === undefined ? '–' : fmt.score(score)}
              {criterion.threshold !== null && (
                <>
                  {' '}
                  ({t('review.threshold', { threshold: criterion.threshold })}{' '}
                  {passes === null ? '' : passes ? `✓ ${t('verdict.passes')}` : `✗ ${t('verdict.fails')}`})
                </>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
