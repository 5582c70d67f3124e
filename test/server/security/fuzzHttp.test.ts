import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../../server/http/app.js';
import { loneSurrogatePath } from '../../../server/http/middleware/validate.js';
import { registeredRoutes, type RouteDoc } from '../../../server/http/openapi/registry.js';
import type { RunningGodo } from '../../../server/index.js';
import { startTestGodo } from '../../helpers/godo.js';
import { ACTORS, expectationsOf, type ActorKey } from '../http/authorizationMatrix/expectations.js';
import { REQUESTS } from '../http/authorizationMatrix/requests.js';
import { buildWorld, enterPhase, type World } from '../http/authorizationMatrix/world.js';
import { takeSnapshot, type DbSnapshot } from '../http/dbState.js';
import { FUZZ_SEED, hostileBody, prng } from './support/fuzz.js';

/*
 * Seeded fuzzing of every write route's body (from the OpenAPI registry, each with a valid body the
 * route accepts from someone allowed): random type swaps, MongoDB operators, prototype-pollution
 * keys, deep nesting, huge arrays, long strings, lone surrogates, invalid UTF-8, broken JSON. Each
 * hostile body is sent by a person the route lets through, so only the input stands in the way:
 * the answer is a 4xx with the error envelope, never a 5xx; the database is exactly as it was after
 * each route's batch; a well-behaved client reading alongside is answered 200 throughout.
 * A mutation that happens to still be valid (as the server decodes and validates it) is not sent.
 */

const PHASE = 'panel';
const CASES_PER_ROUTE = Number(process.env.FUZZ_CASES ?? 30);
const WRITE_ROUTES = registeredRoutes().filter((route) => route.method !== 'get' && route.body);
const keyOf = (route: RouteDoc) => `${route.method.toUpperCase()} ${route.path}`;

let godo: RunningGodo;
let world: World;
let sent = 0;
let skippedValid = 0;
let goodRequests = 0;
const goodFailures: string[] = [];
let stopGood: () => Promise<void> = async () => undefined;

function senderOf(route: string): ActorKey {
  const row = expectationsOf(route)?.get(PHASE);
  const index = row?.findIndex((status) => status.startsWith('2')) ?? -1;
  return index >= 0 ? ACTORS[index] : 'PO';
}

/** Whether the server would take `body` as valid: decoded as it decodes (U+FFFD for bad bytes), then the route's schema. */
function stillValid(route: RouteDoc, body: string | Uint8Array): boolean {
  const text = typeof body === 'string' ? body : new TextDecoder('utf-8').decode(body);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return false;
  }
  return loneSurrogatePath(parsed) === null && route.body!.schema.safeParse(parsed).success;
}

/** A reader going about their work during the whole run: every answer must be a 200. */
function startGoodClient(): () => Promise<void> {
  let running = true;
  const paths = [`/api/calls/${world.callId}`, `/api/calls/${world.callId}/proposals`, `/api/proposals/${world.second.id}`, '/api/me'];
  const cookie = world.actors.PD.cookie!;
  const loop = (async () => {
    for (let i = 0; running; i++) {
      const path = paths[i % paths.length];
      const res = await fetch(godo.url + path, { headers: { cookie } });
      await res.arrayBuffer();
      goodRequests += 1;
      if (res.status !== 200) goodFailures.push(`${path}: ${res.status}`);
    }
  })();
  return async () => {
    running = false;
    await loop;
  };
}

beforeAll(async () => {
  godo = await startTestGodo();
  world = await buildWorld(godo);
  for (const phase of ['review', 'panel'] as const) await enterPhase(world, phase);
  stopGood = startGoodClient();
}, 180_000);

afterAll(async () => {
  await stopGood();
  console.info(
    `HTTP fuzz (seed ${FUZZ_SEED}): ${sent} hostile bodies on ${WRITE_ROUTES.length} write routes, ${skippedValid} mutations still valid and not sent; well-behaved client: ${goodRequests} requests, ${goodFailures.length} failures`,
  );
  await godo?.close();
});

describe(`fuzzed bodies on every write route (seed ${FUZZ_SEED})`, () => {
  it('covers every write route that takes a body', () => {
    expect(WRITE_ROUTES.length).toBeGreaterThan(20);
    expect(WRITE_ROUTES.map(keyOf).filter((route) => !REQUESTS[route])).toEqual([]);
  });

  WRITE_ROUTES.forEach((route, routeIndex) => {
    const key = keyOf(route);
    it(`${key}: every hostile body is a 4xx with the error envelope, and nothing changes`, async () => {
      const rng = prng(FUZZ_SEED + routeIndex);
      const sender = senderOf(key);
      const valid = await REQUESTS[key](world, world.actors[sender]);
      const before: DbSnapshot = await takeSnapshot(godo);
      const problems: string[] = [];
      for (let n = 0; n < CASES_PER_ROUTE; n++) {
        const { label, body } = hostileBody(rng, valid.body);
        if (stillValid(route, body)) {
          skippedValid += 1;
          continue;
        }
        sent += 1;
        const res = await fetch(godo.url + valid.path, {
          method: route.method.toUpperCase(),
          headers: { 'content-type': 'application/json', cookie: world.actors[sender].cookie! },
          body: typeof body === 'string' ? body : new Blob([new Uint8Array(body)]),
        });
        const text = await res.text();
        const where = `case ${n} (seed ${FUZZ_SEED + routeIndex}) ${label}`;
        if (res.status < 400 || res.status > 499) {
          problems.push(`${where}: ${res.status} ${text.slice(0, 160)}`);
          continue;
        }
        try {
          const error = JSON.parse(text).error;
          if (typeof error?.code !== 'string' || typeof error?.message !== 'string') problems.push(`${where}: no error envelope`);
        } catch {
          problems.push(`${where}: ${res.status} is not JSON`);
        }
      }
      expect(problems).toEqual([]);
      const after = await takeSnapshot(godo);
      for (const [name, docs] of before) expect(JSON.stringify(after.get(name)), `${key}: ${name}`).toBe(JSON.stringify(docs));
      // Nothing was polluted: a plain object still has no isAdmin, and no stray key reached a document.
      expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    }, 120_000);
  });

  it('refuses an unpaired surrogate in free text, which MongoDB would store as U+FFFD instead of what was acknowledged', async () => {
    const res = await fetch(`${godo.url}/api/proposals/${world.second.id}/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: world.actors.PD.cookie! },
      body: '{"body":"half an emoji \\ud83d here"}',
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error.fields).toHaveProperty(['body']);
    const paired = await fetch(`${godo.url}/api/proposals/${world.second.id}/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: world.actors.PD.cookie! },
      body: '{"body":"a whole emoji \\ud83d\\ude00 here"}',
    });
    expect(paired.status).toBe(201);
    expect((await paired.json()).comment.body).toBe('a whole emoji \u{1F600} here');
  });

  it('kept answering the well-behaved client throughout', async () => {
    await stopGood();
    expect(goodRequests).toBeGreaterThan(10);
    expect(goodFailures).toEqual([]);
  });
});
