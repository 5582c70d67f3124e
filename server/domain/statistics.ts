/**
 * Descriptive statistics of a set of scores. Empty sets give n = 0 and nulls, never NaN.
 *
 * The standard deviation is the population one (divide by n): the panel's scores are the whole
 * set we describe, not a sample of some wider body of reviewers, and a single score has sd 0
 * rather than an undefined value.
 */
export interface ScoreStats {
  n: number;
  mean: number | null;
  median: number | null;
  min: number | null;
  max: number | null;
  /** max − min, HotCRP's "measure of differences of opinion". */
  spread: number | null;
  /** Population standard deviation. */
  sd: number | null;
}

/** Summarises `values` (in any order; the array is not modified). */
export function summarise(values: readonly number[]): ScoreStats {
  const n = values.length;
  if (n === 0) return { n, mean: null, median: null, min: null, max: null, spread: null, sd: null };
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, value) => sum + value, 0) / n;
  const middle = Math.floor(n / 2);
  const median = n % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  const variance = sorted.reduce((sum, value) => sum + (value - mean) ** 2, 0) / n;
  const min = sorted[0];
  const max = sorted[n - 1];
  return { n, mean, median, min, max, spread: max - min, sd: Math.sqrt(variance) };
}

/**
 * The largest difference between group means, with the two groups it lies between; null when
 * fewer than two groups have any values.
 */
export function largestGap(
  groups: Readonly<Record<string, ScoreStats>>,
): { gap: number; highest: string; lowest: string } | null {
  const withMeans = Object.entries(groups).filter(([, stats]) => stats.mean !== null) as [string, ScoreStats & { mean: number }][];
  if (withMeans.length < 2) return null;
  let highest = withMeans[0];
  let lowest = withMeans[0];
  for (const entry of withMeans) {
    if (entry[1].mean > highest[1].mean) highest = entry;
    if (entry[1].mean < lowest[1].mean) lowest = entry;
  }
  return { gap: highest[1].mean - lowest[1].mean, highest: highest[0], lowest: lowest[0] };
}
