import type { TestOutcome } from './types';

/** Counts of a run. */
export interface Tally {
  passed: number;
  failed: number;
  skipped: number;
}

/** Counts outcomes by status. */
export function tally(outcomes: readonly TestOutcome[]): Tally {
  const counts: Tally = { passed: 0, failed: 0, skipped: 0 };
  for (const outcome of outcomes) counts[outcome.status]++;
  return counts;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ⏎ ');
}

/** `file › test › reason`, on one line. */
export function failureLine(outcome: TestOutcome): string {
  return `${outcome.file} › ${outcome.test} › ${oneLine(outcome.reason ?? 'failed')}`;
}

/** Skip reasons with their counts, most frequent first. */
export function skipReasons(outcomes: readonly TestOutcome[]): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const outcome of outcomes) {
    if (outcome.status !== 'skipped') continue;
    const reason = outcome.reason ?? 'skipped';
    counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/**
 * The report's closing lines: failures, grouped skip reasons, then the summary line
 * `N passed, N failed, N skipped` alone on the last line.
 */
export function renderReport(outcomes: readonly TestOutcome[]): string {
  const lines: string[] = [];
  const failures = outcomes.filter((outcome) => outcome.status === 'failed');
  if (failures.length > 0) {
    lines.push('', `Failures (${failures.length}):`);
    for (const failure of failures) lines.push(failureLine(failure));
  }
  const reasons = skipReasons(outcomes);
  if (reasons.length > 0) {
    lines.push('', 'Skipped, by reason:');
    for (const [reason, count] of reasons) lines.push(`${String(count).padStart(5)}  ${reason}`);
  }
  const { passed, failed, skipped } = tally(outcomes);
  lines.push('', `${passed} passed, ${failed} failed, ${skipped} skipped`);
  return lines.join('\n');
}
