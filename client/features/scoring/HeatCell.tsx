import type { ScaleKind } from '../../../shared/enums';
import { useI18n } from '../../components/i18n/I18nProvider';
import { goodness } from './scoring';

/**
 * The heat-map shade of a score: five steps of one blue hue, darker is better. The number is
 * always printed in the cell, so the colour is never the only signal.
 */
export function heatLevel(scale: ScaleKind, value: number, range?: { min: number; max: number }): number {
  return Math.min(4, Math.floor(goodness(scale, value, range) * 5));
}

/** A table cell with a score shaded by how good it is, and a flag marker when it needs discussion. */
export function HeatCell({
  value,
  scale,
  range,
  flagged,
  flagLabel,
}: {
  value: number | null | undefined;
  scale: ScaleKind;
  range?: { min: number; max: number };
  flagged?: boolean;
  flagLabel?: string;
}) {
  const { fmt } = useI18n();
  if (value === null || value === undefined) return <td className="num heat-none">–</td>;
  return (
    <td className={`num heat heat-${heatLevel(scale, value, range)}${flagged ? ' flagged' : ''}`}>
      {fmt.score(value)}
      {flagged && (
        <span className="flag-mark" title={flagLabel} aria-label={flagLabel} role="img">
          {' '}⚑
        </span>
      )}
    </td>
  );
}
