import { SCALES, type ScaleKind } from '../../../shared/enums';
import { useI18n } from '../../components/i18n/I18nProvider';
import { agencyStyle, markerPath } from './agencyStyle';

/** One score to plot: who gave it and on which side. */
export interface PlotPoint {
  agency: string;
  value: number;
  reviewer: string;
}

const WIDTH = 440;
const LANE = 26;
const PAD_LEFT = 64;
const PAD_RIGHT = 16;

/**
 * All scores of one criterion as a dot plot: one lane per agency (labelled with its code), a
 * marker per review in the agency's colour and shape, each agency's mean as a tick, the overall
 * mean and the threshold as lines. The description lists every score for screen readers.
 */
export function DotPlot({
  id,
  title,
  scale,
  agencies,
  points,
  means,
  overallMean,
  threshold,
}: {
  id: string;
  title: string;
  scale: ScaleKind;
  agencies: string[];
  points: PlotPoint[];
  means: Record<string, number | null>;
  overallMean: number | null;
  threshold: number | null;
}) {
  const { t, fmt } = useI18n();
  const { min, max, direction } = SCALES[scale];
  const height = agencies.length * LANE + 34;
  const x = (value: number) => PAD_LEFT + ((value - min) / (max - min)) * (WIDTH - PAD_LEFT - PAD_RIGHT);
  const ticks = Array.from({ length: max - min + 1 }, (_, i) => min + i);
  const description = agencies
    .map((agency) => {
      const values = points.filter((p) => p.agency === agency).map((p) => fmt.score(p.value));
      return `${agency}: ${values.length ? values.join(', ') : t('stats.noScores')}`;
    })
    .join('; ');
  return (
    <figure className="dot-plot">
      <svg viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-labelledby={`${id}-title ${id}-desc`} width="100%" style={{ maxWidth: WIDTH }}>
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{description}</desc>
        {ticks.map((tick) => (
          <g key={tick}>
            <line x1={x(tick)} x2={x(tick)} y1={8} y2={height - 22} className="grid" />
            <text x={x(tick)} y={height - 8} textAnchor="middle" className="axis-label">
              {tick}
            </text>
          </g>
        ))}
        {threshold !== null && (
          <line x1={x(threshold)} x2={x(threshold)} y1={4} y2={height - 22} className="threshold-line">
            <title>{t('stats.threshold')}</title>
          </line>
        )}
        {overallMean !== null && (
          <line x1={x(overallMean)} x2={x(overallMean)} y1={4} y2={height - 22} className="mean-line">
            <title>{t('stats.mean')}</title>
          </line>
        )}
        {agencies.map((agency, lane) => {
          const style = agencyStyle(lane);
          const y = 18 + lane * LANE;
          const lanePoints = points.filter((p) => p.agency === agency);
          const mean = means[agency];
          return (
            <g key={agency}>
              <text x={4} y={y + 4} className="lane-label">
                {agency}
              </text>
              <line x1={PAD_LEFT} x2={WIDTH - PAD_RIGHT} y1={y} y2={y} className="lane" />
              {mean !== null && mean !== undefined && <line x1={x(mean)} x2={x(mean)} y1={y - 10} y2={y + 10} stroke={style.colour} strokeWidth={3} />}
              {lanePoints.map((point, i) => {
                // Equal scores are nudged apart vertically so every review stays visible.
                const same = lanePoints.slice(0, i).filter((other) => other.value === point.value).length;
                const cy = y + (same % 2 === 0 ? -1 : 1) * Math.ceil(same / 2) * 6;
                return (
                  <path
                    key={`${point.reviewer}-${i}`}
                    d={markerPath(style.shape, x(point.value), cy, 5)}
                    fill={style.shape === 'ring' ? 'white' : style.colour}
                    stroke={style.shape === 'ring' ? style.colour : 'white'}
                    strokeWidth={style.shape === 'ring' ? 2 : 1}
                  >
                    <title>{`${point.reviewer} (${agency}): ${fmt.score(point.value)}`}</title>
                  </path>
                );
              })}
            </g>
          );
        })}
      </svg>
      <figcaption className="muted">
        {direction === 'lower_better' ? t('stats.lowerIsBetter') : t('stats.higherIsBetter')} · {t('stats.plotKey')}
      </figcaption>
    </figure>
  );
}
