/**
 * Seeded generation of hostile values for the fuzz tests. One seed (FUZZ_SEED, or the default)
 * decides every value, so a failure names its seed and case number and reproduces exactly.
 */

/** The seed of this run: `FUZZ_SEED=1234 npx vitest run test/server/security/...` replays one. */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20261126);

/** mulberry32: a small, fast, well-distributed 32-bit PRNG. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (max: number) => Math.floor(next() * max),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
  };
}
export type Prng = ReturnType<typeof prng>;

/**
 * A hostile body as JSON text (some cases cannot be written as values: duplicate or `__proto__`
 * keys, lone surrogates escaped, invalid UTF-8) or raw bytes, with a label saying what it is.
 */
export interface HostileBody {
  label: string;
  body: string | Uint8Array;
}

const OPERATORS = [{ $where: 'sleep(1000) || true' }, { $gt: '' }, { $ne: null }, { $regex: '.*' }, { $in: [] }, { $expr: { $eq: [1, 1] } }];

/** A value of a different JSON type than `value`, or an operator object, or something absurd. */
export function hostileValue(rng: Prng, value: unknown): unknown {
  const swaps: unknown[] = [
    ...OPERATORS,
    typeof value === 'string' ? 12345 : 'a string',
    typeof value === 'number' ? String(value) : 3.5,
    typeof value === 'boolean' ? 'true' : false,
    null,
    [value],
    { value },
    Array.isArray(value) ? { 0: value[0] } : [],
    -1e308,
    1e400 === Infinity ? 1.7976931348623157e308 : 0,
    -0,
    0.1 + 0.2,
    Number.MAX_SAFE_INTEGER + 2,
    'x'.repeat(100_000),
    '',
    '   ',
    '<img src=x onerror=alert(1)>',
    '../../../etc/passwd',
    { __proto__: null, constructor: { prototype: { isAdmin: true } } },
  ];
  return rng.pick(swaps);
}

/** Every path to a leaf or container of `value` (as key lists), for choosing where to put the poison. */
export function pathsOf(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (value && typeof value === 'object' && prefix.length < 8) {
    for (const [key, child] of Object.entries(value)) pathsOf(child, [...prefix, Array.isArray(value) ? Number(key) : key], out);
  }
  return out;
}

function setAt(root: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy: any = Array.isArray(root) ? [...root] : { ...(root as object) };
  const [head, ...rest] = path;
  copy[head] = setAt(copy[head], rest, replacement);
  return copy;
}

const nest = (levels: number, inner: string, open: string, close: string) => `${open.repeat(levels)}${inner}${close.repeat(levels)}`;

/**
 * One hostile body derived from a valid one: a value replaced at a random path (type swap, operator
 * object, huge or odd string), a dangerous or unknown key added, deep nesting, a huge array, a lone
 * surrogate or invalid UTF-8 in a string, or a broken document.
 */
export function hostileBody(rng: Prng, valid: unknown): HostileBody {
  const paths = pathsOf(valid).filter((p) => p.length > 0);
  const path = paths.length ? rng.pick(paths) : [];
  const at = path.join('.') || '(body)';
  const json = JSON.stringify(valid);
  const strings = paths.filter((p) => typeof p.reduce<any>((v, k) => v?.[k], valid) === 'string');
  const stringPath = strings.length ? rng.pick(strings) : null;
  const withMarker = (marker: string) => JSON.stringify(setAt(valid, stringPath ?? ['x'], marker));
  switch (rng.int(12)) {
    case 0:
    case 1:
    case 2: {
      const replacement = hostileValue(rng, path.reduce<any>((v, k) => v?.[k], valid));
      return { label: `${at} := ${JSON.stringify(replacement)?.slice(0, 60)}`, body: JSON.stringify(setAt(valid, path, replacement)) };
    }
    case 3: {
      const key = rng.pick(['__proto__', 'constructor', 'prototype', '$where', '$set', 'isAdmin', '_id', 'version.$gt']);
      const inner = key === '__proto__' || key === 'constructor' ? '{"isAdmin":true,"polluted":"yes"}' : '"sleep(1000)"';
      return { label: `extra key ${key}`, body: `{"${key}":${inner},${json.slice(1)}` };
    }
    case 4: {
      const levels = rng.pick([100, 1_000, 10_000]);
      const deep = rng.next() < 0.5 ? nest(levels, '1', '{"a":', '}') : nest(levels, '', '[', ']');
      const target = JSON.stringify(path.reduce<any>((v, k) => v?.[k], valid));
      const replaced = target ? json.replace(target, deep) : json;
      return { label: `${at} := ${levels} levels of nesting`, body: replaced === json ? deep : replaced };
    }
    case 5: {
      const length = rng.pick([10_000, 100_000, 200_000]);
      return { label: `${at} := array of ${length}`, body: JSON.stringify(setAt(valid, path, new Array(length).fill(rng.pick([0, 'x', {}])))) };
    }
    case 6:
      return { label: `${stringPath?.join('.') ?? 'x'} := lone high surrogate`, body: withMarker('@@SURROGATE@@').replace('@@SURROGATE@@', 'a\\ud800b') };
    case 7:
      return { label: `${stringPath?.join('.') ?? 'x'} := lone low surrogate`, body: withMarker('@@SURROGATE@@').replace('@@SURROGATE@@', '\\udfff') };
    case 8: {
      const text = withMarker('@@BYTES@@');
      const [before, after] = text.split('@@BYTES@@');
      const bad = rng.pick([[0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe2, 0x82]]);
      return { label: `${stringPath?.join('.') ?? 'x'} := invalid UTF-8 ${bad.map((b) => b.toString(16)).join(' ')}`, body: Buffer.concat([Buffer.from(before), Buffer.from(bad), Buffer.from(after)]) };
    }
    case 9:
      return { label: `${stringPath?.join('.') ?? 'x'} := 1.2 MB string`, body: withMarker('y'.repeat(1_200_000)) };
    case 10: {
      const broken = rng.pick([json.slice(0, -1), `${json},`, json.replace(':', ''), `[${json}]`, 'null', '"text"', '0', json.replace(/"/, "'")]);
      return { label: `broken document ${broken.slice(0, 30)}`, body: broken };
    }
    default: {
      const key = rng.pick(['$where', 'status', 'isAdmin', 'role', 'passwordHash', 'userId', 'createdBy', 'signOffs']);
      return { label: `unknown key ${key}`, body: JSON.stringify({ ...(valid as object), [key]: rng.pick(OPERATORS) }) };
    }
  }
}
