import { markerPath, type AgencyStyle } from './agencyStyle';

/** A small inline marker for legends and tables. */
export function MarkerIcon({ style, size = 12 }: { style: AgencyStyle; size?: number }) {
  const r = size / 2 - 1.5;
  return (
    <svg width={size} height={size} viewBox={`0 0 ${size} ${size}`} aria-hidden="true" focusable="false" className="marker-icon">
      <path
        d={markerPath(style.shape, size / 2, size / 2, r)}
        fill={style.shape === 'ring' ? 'none' : style.colour}
        stroke={style.colour}
        strokeWidth={style.shape === 'ring' ? 2 : 1}
      />
    </svg>
  );
}
