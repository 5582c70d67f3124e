/** Percentile (nearest rank) of unsorted samples; NaN when there are none. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Median of numbers, NaN-safe (NaNs ignored; NaN if none left). */
export function median(values: readonly number[]): number {
  const kept = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (kept.length === 0) return Number.NaN;
  const mid = Math.floor(kept.length / 2);
  return kept.length % 2 ? kept[mid] : (kept[mid - 1] + kept[mid]) / 2;
}

/** A number for a table cell: fixed decimals, '—' for NaN. */
export function cell(value: number, decimals = 1): string {
  return Number.isNaN(value) ? '—' : value.toFixed(decimals);
}

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** A full garbage collection now, so a measurement window does not pay for earlier garbage. */
export function collectGarbage(): void {
  for (let i = 0; i < 2; i++) gc();
}

/**
 * Paired bootstrap interval of median(a) / median(b), where a[i] and b[i] were measured in the same
 * round: rounds are drawn with replacement `draws` times (a fixed-seed generator, so a table is
 * reproducible from its raw results) and the central `level` share of the ratios is returned.
 * Rounds where either side is NaN are left out; [NaN, NaN] with fewer than two rounds left.
 */
export function pairedRatioInterval(a: readonly number[], b: readonly number[], level = 0.9, draws = 2_000): [number, number] {
  const pairs = a.map((x, i) => [x, b[i]] as const).filter(([x, y]) => !Number.isNaN(x) && y !== undefined && !Number.isNaN(y));
  if (pairs.length < 2) return [Number.NaN, Number.NaN];
  let seed = 0x9e3779b9;
  // xorshift32: enough to draw round indices, and the same every time.
  const next = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 0x1_0000_0000;
  };
  const ratios: number[] = [];
  for (let d = 0; d < draws; d++) {
    const sample = Array.from({ length: pairs.length }, () => pairs[Math.floor(next() * pairs.length)]);
    ratios.push(median(sample.map(([x]) => x)) / median(sample.map(([, y]) => y)));
  }
  ratios.sort((x, y) => x - y);
  const tail = (1 - level) / 2;
  return [ratios[Math.floor(tail * (draws - 1))], ratios[Math.ceil((1 - tail) * (draws - 1))]];
}
