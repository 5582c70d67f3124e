import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The app module imports every route file, and each registers its routes' documentation.
import '../../../server/http/app.js';
import { registeredRoutes } from '../../../server/http/openapi/registry.js';
import type { RunningGodo } from '../../../server/index.js';
import { PHASES } from '../../../shared/enums.js';
import { startTestGodo } from '../../helpers/godo.js';
import { HttpClient } from '../../helpers/httpClient.js';
import { ACTORS, CONFLICTED, MATRIX, PHASE_FREE_RUN, expectationsOf, formatRow, type ActorKey } from './authorizationMatrix/expectations.js';
import { OWN_RECORDS_ONLY, REQUESTS } from './authorizationMatrix/requests.js';
import { buildWorld, enterPhase, type NamedProposal, type World } from './authorizationMatrix/world.js';
import { probe, restoreSnapshot, takeSnapshot, type DbSnapshot } from './dbState.js';

/*
 * Every role × every route × conflicted or not, in every phase where the policy has a phase rule:
 * the statuses of expectations.ts, and no successful (or refused) answer to someone conflicted
 * with P, or to someone outside the call, naming P (or, for the outsider, any proposal of the call).
 * Mutating requests are sent one actor at a time and the database is restored after each success,
 * so every cell is decided against the same state.
 */

const ROUTES = registeredRoutes().map((route) => `${route.method.toUpperCase()} ${route.path}`);

let godo: RunningGodo;
let world: World;
let snapshot: DbSnapshot | undefined;
let cells = 0;
let mismatches = 0;

beforeAll(async () => {
  godo = await startTestGodo();
  world = await buildWorld(godo);
}, 180_000);

afterAll(async () => {
  console.info(`authorization matrix: ${cells} cells (${ROUTES.length} routes × ${ACTORS.length} people, phased routes in ${PHASES.length} phases), ${mismatches} rows not as expected`);
  await godo?.close();
});

type Answer = { status: number; text: string; contentType: string };

const words = (p: NamedProposal) => [p.id, p.ref, p.title.en, p.title.ja];

/** What this person must never be shown: P when conflicted with it; anything of the call's proposals when outside the call. */
function forbiddenFor(key: ActorKey): string[] {
  if (key === 'OUT') return [...words(world.target), ...words(world.second)];
  return CONFLICTED.includes(key) ? words(world.target) : [];
}

/**
 * The answer's text with the one thing a person may see of a proposal they are conflicted with
 * removed: their own conflict record (the conflict list shows people their own conflicts, by
 * design, so they know what they were found conflicted with and can contest it).
 */
function scannedText(route: string, key: ActorKey, answer: Answer): string {
  if (route !== 'GET /calls/:callId/conflicts' || answer.status !== 200) return answer.text;
  const body = JSON.parse(answer.text) as { conflicts: { userId: string }[] };
  return JSON.stringify(body.conflicts.filter((conflict) => conflict.userId !== world.actors[key].id));
}

function problemsOf(route: string, key: ActorKey, answer: Answer): string[] {
  const text = scannedText(route, key, answer);
  const problems = forbiddenFor(key)
    .filter((word) => text.includes(word))
    .map((word) => `${key} (${answer.status}) was shown "${word}"`);
  if (answer.status >= 400) {
    const error = JSON.parse(answer.text || '{}')?.error;
    if (typeof error?.code !== 'string' || typeof error?.message !== 'string') problems.push(`${key}: ${answer.status} without an error body`);
  }
  return problems;
}

async function send(route: string, key: ActorKey): Promise<Answer> {
  const [method] = route.split(' ');
  const actor = world.actors[key];
  const request = await REQUESTS[route](world, actor);
  return probe(godo.url, method, request.path, actor.cookie, request.body);
}

/** Sends the route's request as every actor, restoring the database after each change. */
async function runRow(route: string): Promise<Map<ActorKey, Answer>> {
  const answers = new Map<ActorKey, Answer>();
  if (route.startsWith('GET ') || OWN_RECORDS_ONLY.has(route)) {
    const all = await Promise.all(ACTORS.map(async (key) => [key, await send(route, key)] as const));
    for (const [key, answer] of all) answers.set(key, answer);
    if (!route.startsWith('GET ')) await restoreSnapshot(godo, snapshot!);
    return answers;
  }
  for (const key of ACTORS) {
    const answer = await send(route, key);
    answers.set(key, answer);
    if (answer.status < 300) await restoreSnapshot(godo, snapshot!);
  }
  return answers;
}

describe('the matrix covers the whole API', () => {
  it('has a row and a request for every route of the served OpenAPI document, and none for a route that is gone', async () => {
    const doc = (await new HttpClient(godo.url).get('/api/openapi.json')).body as { paths: Record<string, object> };
    const served = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path.replace(/^\/api/, '').replace(/\{(\w+)\}/g, ':$1')}`),
    );
    expect([...served].sort()).toEqual([...ROUTES].sort());
    expect(ROUTES.filter((route) => !(route in MATRIX))).toEqual([]);
    expect(ROUTES.filter((route) => !(route in REQUESTS))).toEqual([]);
    expect(Object.keys(MATRIX).filter((route) => !ROUTES.includes(route))).toEqual([]);
    expect(Object.keys(REQUESTS).filter((route) => !ROUTES.includes(route))).toEqual([]);
  });
});

for (const phase of PHASES) {
  describe(`in the ${phase} phase`, () => {
    beforeAll(async () => {
      if (snapshot) await restoreSnapshot(godo, snapshot);
      await enterPhase(world, phase);
      snapshot = await takeSnapshot(godo);
    }, 60_000);

    for (const route of ROUTES) {
      const expectations = expectationsOf(route);
      if (!expectations) {
        if (phase === PHASE_FREE_RUN) it(route, () => expect.fail(`${route} has no row in the authorization matrix`));
        continue;
      }
      const expected = expectations.get(phase);
      if (!expected) continue;
      it(route, async () => {
        expect(REQUESTS[route], `${route} has no request`).toBeDefined();
        const answers = await runRow(route);
        cells += ACTORS.length;
        const actual = ACTORS.map((key) => String(answers.get(key)!.status));
        const unexpected = ACTORS.filter((key, i) => actual[i] !== expected[i]).map(
          (key) => `${key}: ${answers.get(key)!.status} ${answers.get(key)!.text.slice(0, 160)}`,
        );
        const problems = ACTORS.flatMap((key) => problemsOf(route, key, answers.get(key)!));
        if (unexpected.length || problems.length) mismatches += 1;
        expect({ statuses: formatRow(actual), problems }, unexpected.join('\n')).toEqual({ statuses: formatRow(expected), problems: [] });
      }, 120_000);
    }
  });
}
