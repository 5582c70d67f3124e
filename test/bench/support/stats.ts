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
