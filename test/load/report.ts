import { cell } from '../bench/support/stats.js';
import type { Progress, PanelDayResult } from './scenario.js';

const mb = (bytes: number) => cell(bytes / 1024 / 1024, 0);

/** One progress line: elapsed, operations per kind, errors, p50/p99, server RSS and CPU, generator lag, load. */
export function progressLine(p: Progress): string {
  const kinds = p.metrics
    .summaries()
    .map((k) => `${k.kind.replace(/^(rest|socket):/, '')} ${k.count}${k.errors ? `(!${k.errors})` : ''}${Number.isNaN(k.p50) ? '' : ` ${cell(k.p50, 0)}/${cell(k.p99, 0)}ms`}`)
    .join(', ');
  const g = p.metrics.generator();
  return (
    `[${cell(p.elapsedMs / 1000, 0)}s] errors ${p.metrics.totalErrors} | server RSS ${mb(p.serverRss)} MB CPU ${cell(p.serverCpuPercent, 0)}% | ` +
    `generator lag p99 ${cell(g.lagP99, 1)} ms CPU ${cell(g.cpuPercent, 0)}% | load ${p.loadAverage.map((l) => l.toFixed(2)).join(' ')}\n  ${kinds}`
  );
}

/** The run as Markdown: setup, machine load, the per-operation table, the acknowledged-write check, errors. */
export function markdownReport(r: PanelDayResult): string {
  const o = r.options;
  const lines = [
    '# Load test: a panel day',
    '',
    `${r.startedAt}: ${o.panels} panels × ${o.people} people, ${o.proposals} proposals each, ${o.processes} Godo process${o.processes > 1 ? 'es (Redis)' : ''}, ` +
      `${cell(r.durationMs / 60_000, 1)} minutes${o.durationMs === undefined ? ` (event-bounded: ${o.plan.items} items per panel)` : ''}, think-time scale ${o.pace}.`,
    '',
    `Machine load average (1/5/15 min): ${r.loadAverage.start.map((l) => l.toFixed(2)).join(' / ')} at the start, ` +
      `${r.loadAverage.end.map((l) => l.toFixed(2)).join(' / ')} at the end, 1-minute peak ${r.loadAverage.peak1m.toFixed(2)} (2 cores, shared).`,
    '',
    `Server: peak RSS ${mb(r.server.peakRss)} MB (all Godo and database processes), CPU mean ${cell(r.server.meanCpuPercent, 0)} % / peak ${cell(r.server.peakCpuPercent, 0)} % of one core. ` +
      `Exit codes after SIGTERM: ${Object.entries(r.exitCodes).map(([n, c]) => `${n} ${c}`).join(', ')}.`,
    '',
    `Load generator: event-loop lag p50 ${cell(r.generator.lagP50, 1)} ms, p99 ${cell(r.generator.lagP99, 1)} ms, max ${cell(r.generator.lagMax, 0)} ms; CPU ${cell(r.generator.cpuPercent, 0)} % of one core. ` +
      'Latencies include the generator’s own lag.',
    '',
    '| operation | count | errors | p50 ms | p99 ms | max ms |',
    '|---|---:|---:|---:|---:|---:|',
    ...r.kinds.map((k) => `| ${k.kind} | ${k.count} | ${k.errors} | ${cell(k.p50)} | ${cell(k.p99)} | ${cell(k.max, 0)} |`),
    '',
    '## Acknowledged writes, checked in the database after a graceful shutdown',
    '',
    '| kind | acknowledged and checked |',
    '|---|---:|',
    ...Object.entries(r.check.checked).map(([kind, n]) => `| ${kind} | ${n} |`),
    '',
    r.check.missing.length === 0 ? '**Every acknowledged write is in the database.**' : `**${r.check.missing.length} acknowledged writes are missing:**`,
    ...r.check.missing.slice(0, 50).map((m) => `- ${m}`),
    '',
    `## Errors: ${r.totalErrors} (${r.serverErrors} server errors)`,
    '',
    ...r.errors.slice(0, 50).map((e) => `- ${cell(e.at / 1000, 1)} s ${e.kind}${e.status ? ` ${e.status}` : ''}: ${e.message.replace(/\n/g, ' ')}`),
    '',
    `Result: **${r.passed ? 'PASS' : 'FAIL'}**`,
    '',
  ];
  return lines.join('\n');
}
