import { beginScenario, progress, writeSummary } from './report.js';

/**
 * `npm run bench -- <scenario...>`: runs benchmark scenarios (all when none is named) and writes
 * their tables under test/bench/results/, then rebuilds results/SUMMARY.md. Never part of `npm test`.
 */
const SCENARIOS: Record<string, () => Promise<{ run(): Promise<void> }>> = {
  db: () => import('./db.bench.js'),
  fanout: () => import('./fanout.bench.js'),
  coldload: () => import('./coldload.bench.js'),
  meeting: () => import('./meeting.bench.js'),
  memory: () => import('./memory.bench.js'),
  restart: () => import('./restart.bench.js'),
  rest: () => import('./rest.bench.js'),
};

async function main() {
  const asked = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const names = asked.length ? asked : Object.keys(SCENARIOS);
  for (const name of names) {
    const load = SCENARIOS[name];
    if (!load) {
      console.error(`unknown scenario ${name}; known: ${Object.keys(SCENARIOS).join(', ')}`);
      process.exit(2);
    }
    progress(`scenario ${name}`);
    beginScenario();
    await (await load()).run();
  }
  writeSummary();
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
