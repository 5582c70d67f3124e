import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../../server/http/app.js';
import { registeredRoutes, type RouteDoc } from '../../../server/http/openapi/registry.js';
import type { RunningGodo } from '../../../server/index.js';
import { startTestGodo } from '../../helpers/godo.js';
import { ACTORS, expectationsOf, type ActorKey } from './authorizationMatrix/expectations.js';
import { REQUESTS } from './authorizationMatrix/requests.js';
import { buildWorld, enterPhase, type World } from './authorizationMatrix/world.js';
import { probe, takeSnapshot, type DbSnapshot } from './dbState.js';

/*
 * Hostile input on every route that takes a body, path parameters or a query (enumerated from the
 * OpenAPI registry): each is refused with a 4xx carrying `{ error: { code, message } }` (and
 * `fields` when it is a validation failure), never a 500; the server keeps answering, and nothing
 * in the database changes. Requests are sent by someone the route would otherwise let through, so
 * only the input stands between the request and a write.
 */

const PHASE = 'panel';
const ROUTES = registeredRoutes();
const keyOf = (route: RouteDoc) => `${route.method.toUpperCase()} ${route.path}`;
const hasParams = (route: RouteDoc) => route.path.includes(':');

let godo: RunningGodo;
let world: World;
let before: DbSnapshot;
let witnessesBefore: string[];
let sent = 0;

/** What the call's people would see of its state: compared before and after the hostile run. */
async function witnesses(): Promise<string[]> {
  const p = world.target.id;
  const paths = [
    `/api/calls/${world.callId}`, `/api/calls/${world.callId}/proposals`, `/api/calls/${world.callId}/members`,
    `/api/calls/${world.callId}/conflicts`, `/api/calls/${world.callId}/assignments`, `/api/calls/${world.callId}/ranking`,
    `/api/calls/${world.callId}/audit?limit=200`, `/api/proposals/${p}`, `/api/proposals/${p}/reviews`,
    `/api/proposals/${p}/consensus`, `/api/proposals/${p}/decision`, `/api/proposals/${p}/comments`, '/api/calls',
  ];
  const out: string[] = [];
  for (const path of paths) {
    const res = await world.creator.get(path);
    expect(res.status, path).toBe(200);
    out.push(`${path} ${res.text}`);
  }
  return out;
}

beforeAll(async () => {
  godo = await startTestGodo();
  world = await buildWorld(godo);
  for (const phase of ['review', 'panel'] as const) await enterPhase(world, phase);
  witnessesBefore = await witnesses();
  before = await takeSnapshot(godo);
}, 180_000);

afterAll(async () => {
  console.info(`bad input: ${sent} hostile requests`);
  await godo?.close();
});

/** Someone the route lets through with a valid request in this phase (the first allowed column). */
function senderOf(route: string): ActorKey {
  const row = expectationsOf(route)?.get(PHASE);
  const index = row?.findIndex((status) => status.startsWith('2')) ?? -1;
  return index >= 0 ? ACTORS[index] : 'PO';
}

type Answer = Awaited<ReturnType<typeof probe>>;

/** Checks one refusal; returns a description of what is wrong with it, or null. */
function refusalProblem(label: string, answer: Answer): string | null {
  if (answer.status < 400 || answer.status > 499) return `${label}: ${answer.status} ${answer.text.slice(0, 200)}`;
  let body: { error?: { code?: unknown; message?: unknown; fields?: unknown } };
  try {
    body = JSON.parse(answer.text);
  } catch {
    return `${label}: ${answer.status} is not JSON: ${answer.text.slice(0, 100)}`;
  }
  const error = body.error;
  if (typeof error?.code !== 'string' || typeof error.message !== 'string') return `${label}: no { error: { code, message } }`;
  if (Object.keys(body).length !== 1) return `${label}: extra keys beside error`;
  if (error.code === 'validation_failed') {
    const fields = error.fields as Record<string, unknown> | undefined;
    if (!fields || typeof fields !== 'object' || Object.keys(fields).length === 0) return `${label}: validation_failed without fields`;
  }
  return null;
}

const deepObject = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
const deepArray = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

/** A value of the wrong JSON type for `value`. */
function wrongType(value: unknown): unknown {
  if (typeof value === 'string') return 12345;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return 'true';
  if (Array.isArray(value)) return { 0: value[0] };
  return [value];
}

/** Hostile whole bodies (raw JSON text or values) for a route whose valid body is `valid`. */
function hostileBodies(valid: Record<string, unknown>): [string, unknown, number[]][] {
  const cases: [string, unknown, number[]][] = [];
  const keys = Object.keys(valid);
  for (const key of keys) {
    cases.push([`${key}: wrong type`, { ...valid, [key]: wrongType(valid[key]) }, [400]]);
    cases.push([`${key}: {"$gt": ""}`, { ...valid, [key]: { $gt: '' } }, [400]]);
    cases.push([`${key}: {"$where": "sleep(1000)"}`, { ...valid, [key]: { $where: 'sleep(1000)' } }, [400]]);
    if (valid[key] !== null) cases.push([`${key}: null`, { ...valid, [key]: null }, [400]]);
    cases.push([`${key}: 10,000 nested objects`, `${JSON.stringify({ ...valid, [key]: '@' }).replace('"@"', deepObject(10_000))}`, [400, 413]]);
    cases.push([`${key}: 200,000-element array`, JSON.stringify({ ...valid, [key]: new Array(200_000).fill(0) }), [400, 413]]);
  }
  cases.push(
    ['unknown key $where', { ...valid, $where: 'sleep(1000)' }, [400]],
    ['unknown key isAdmin', { ...valid, isAdmin: true }, [400]],
    ['__proto__ key', `{"__proto__":{"isAdmin":true},${JSON.stringify(valid).slice(1)}`, [400]],
    ['an array', [valid], [400]],
    ['a JSON string', '"hello"', [400]],
    ['a JSON number', '42', [400]],
    ['JSON null', 'null', [400]],
    ['10,000 nested objects', deepObject(10_000), [400, 413]],
    ['10,000 nested arrays', deepArray(10_000), [400, 413]],
    ['200,000-element array', JSON.stringify(new Array(200_000).fill(valid[keys[0]] ?? 0)), [400, 413]],
    ['a 1.1 MB string', { ...valid, [keys[0] ?? 'x']: 'x'.repeat(1_100_000) }, [413]],
    ['truncated JSON', JSON.stringify(valid).slice(0, -3), [400]],
    ['not JSON at all', 'this is not json', [400]],
  );
  return cases;
}

const MALFORMED_IDS = [
  '../../etc/passwd', '{"$ne":null}', '{"$gt":""}', '$where', '__proto__', 'constructor', '\u0000', '0'.repeat(23), '0'.repeat(25),
  'zzzzzzzzzzzzzzzzzzzzzzzz', 'x'.repeat(5_000), ' 0123456789abcdef01234567', '0123456789abcdef01234567',
];

/** Path segments that are not valid percent-encoding. */
const BROKEN_ENCODINGS = ['%E0%A4%A', '%', '%zz', 'abc%'];

async function send(route: RouteDoc, path: string, body: unknown, sender: ActorKey, headers: Record<string, string> = {}): Promise<Answer> {
  sent += 1;
  const cookie = world.actors[sender].cookie;
  const res = await fetch(godo.url + path, {
    method: route.method.toUpperCase(),
    headers: { 'content-type': 'application/json', ...headers, ...(cookie ? { cookie } : {}) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : body instanceof Uint8Array ? new Blob([new Uint8Array(body)]) : JSON.stringify(body),
  });
  return { status: res.status, text: await res.text(), contentType: res.headers.get('content-type') ?? '' };
}

/** The route's path with one parameter replaced by `value` (URL-encoded, so it stays one segment, unless `raw`). */
function withParam(route: RouteDoc, validPath: string, name: string, value: string, raw = false): string {
  const names = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]);
  const segments = route.path.split('/');
  const valid = validPath.split('?')[0].split('/');
  const query = validPath.includes('?') ? `?${validPath.split('?')[1]}` : '';
  const at = segments.indexOf(`:${name}`);
  expect(names).toContain(name);
  valid[at] = raw ? value : encodeURIComponent(value);
  return valid.join('/') + query;
}

describe('hostile input', () => {
  it('is tried on every route that takes a body, path parameters or a query', () => {
    const covered = ROUTES.filter((route) => route.body || hasParams(route) || route.query).map(keyOf);
    expect(covered.length).toBeGreaterThan(45);
    expect(covered.filter((route) => !REQUESTS[route])).toEqual([]);
  });

  for (const route of ROUTES.filter((r) => r.body || hasParams(r) || r.query)) {
    const key = keyOf(route);
    it(`${key} refuses it with a 4xx error body, never a 500`, async () => {
      const sender = senderOf(key);
      const valid = await REQUESTS[key](world, world.actors[sender]);
      const problems: string[] = [];
      const check = (label: string, answer: Answer, allowed?: number[]) => {
        const problem = refusalProblem(label, answer);
        if (problem) problems.push(problem);
        else if (allowed && !allowed.includes(answer.status)) problems.push(`${label}: ${answer.status}, expected ${allowed.join(' or ')}`);
      };

      if (route.body) {
        for (const [label, body, allowed] of hostileBodies(valid.body as Record<string, unknown>)) {
          check(label, await send(route, valid.path, body, sender), allowed);
        }
        const json = JSON.stringify(valid.body);
        const encodings: [string, unknown, Record<string, string>, number][] = [
          ['text/plain body', 'email=a', { 'content-type': 'text/plain' }, 415],
          ['form body', 'a=1&b=2', { 'content-type': 'application/x-www-form-urlencoded' }, 415],
          ['latin1 charset', json, { 'content-type': 'application/json; charset=latin1' }, 415],
          ['unknown content encoding', json, { 'content-encoding': 'x-unknown' }, 415],
          ['corrupt gzip', 'not gzip at all', { 'content-encoding': 'gzip' }, 400],
          ['gzip that inflates past 1 MB', gzipSync(JSON.stringify({ ...(valid.body as object), x: 'a'.repeat(1_200_000) })), { 'content-encoding': 'gzip' }, 413],
        ];
        for (const [label, body, headers, status] of encodings) check(label, await send(route, valid.path, body, sender, headers), [status]);
      }
      for (const [name] of [...route.path.matchAll(/:(\w+)/g)].map((m) => [m[1]])) {
        for (const id of MALFORMED_IDS) {
          const path = withParam(route, valid.path, name, id);
          check(`:${name} = ${JSON.stringify(id.slice(0, 40))}`, await send(route, path, valid.body, sender), [400, 404]);
        }
        for (const broken of BROKEN_ENCODINGS) {
          check(`:${name} = ${broken} (raw)`, await send(route, withParam(route, valid.path, name, broken, true), valid.body, sender), [400, 404]);
        }
      }
      if (route.query) {
        const base = valid.path.split('?')[0];
        const queries = ['x[$gt]=', 'x=1&x=2', 'x[$where]=sleep(1000)', '__proto__[isAdmin]=true'];
        for (const name of Object.keys(route.query.shape)) {
          queries.push(`${name}[$ne]=null`, `${name}=a&${name}=b`, `${name}=${'9'.repeat(3_000)}`);
        }
        for (const query of queries) check(`?${query.slice(0, 40)}`, await send(route, `${base}?${query}`, valid.body, sender), [400]);
      }
      expect(problems).toEqual([]);
      expect((await probe(godo.url, 'GET', '/healthz', null)).status).toBe(200);
    }, 120_000);
  }

  it('leaves the server answering and every record as it was', async () => {
    expect((await probe(godo.url, 'GET', '/healthz', null)).status).toBe(200);
    expect(await witnesses()).toEqual(witnessesBefore);
    const after = await takeSnapshot(godo);
    for (const [name, docs] of before) expect(JSON.stringify(after.get(name)), name).toBe(JSON.stringify(docs));
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
  }, 60_000);
});
