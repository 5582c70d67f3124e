/**
 * How each agency is drawn: a colour from the Okabe–Ito palette (safe for the common colour
 * vision deficiencies) and a distinct marker shape, so colour is never the only signal.
 */
const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'];
export const SHAPES = ['circle', 'square', 'triangle', 'diamond', 'cross', 'star', 'ring'] as const;
export type MarkerShape = (typeof SHAPES)[number];

export interface AgencyStyle {
  colour: string;
  shape: MarkerShape;
}

/** The style of the agency at `index` in the call's agency list. */
export function agencyStyle(index: number): AgencyStyle {
  return { colour: COLOURS[index % COLOURS.length], shape: SHAPES[index % SHAPES.length] };
}

/** SVG path of a marker of size `r` centred on (x, y). */
export function markerPath(shape: MarkerShape, x: number, y: number, r: number): string {
  switch (shape) {
    case 'square':
      return `M${x - r},${y - r}h${2 * r}v${2 * r}h${-2 * r}z`;
    case 'triangle':
      return `M${x},${y - r * 1.15}L${x + r * 1.1},${y + r * 0.85}L${x - r * 1.1},${y + r * 0.85}z`;
    case 'diamond':
      return `M${x},${y - r * 1.3}L${x + r * 1.1},${y}L${x},${y + r * 1.3}L${x - r * 1.1},${y}z`;
    case 'cross':
      return `M${x - r},${y - r * 0.35}h${r * 0.65}v${-r * 0.65}h${r * 0.7}v${r * 0.65}h${r * 0.65}v${r * 0.7}h${-r * 0.65}v${r * 0.65}h${-r * 0.7}v${-r * 0.65}h${-r * 0.65}z`;
    case 'star': {
      const points = Array.from({ length: 10 }, (_, i) => {
        const angle = (Math.PI / 5) * i - Math.PI / 2;
        const radius = i % 2 === 0 ? r * 1.3 : r * 0.55;
        return `${x + radius * Math.cos(angle)},${y + radius * Math.sin(angle)}`;
      });
      return `M${points.join('L')}z`;
    }
    case 'ring':
    case 'circle':
    default:
      return `M${x - r},${y}a${r},${r} 0 1,0 ${2 * r},0a${r},${r} 0 1,0 ${-2 * r},0`;
  }
}
