import { EJSON, type Document } from 'bson';
import { compareNumbers, describeValue, hasBsonType, isDocument, numericValue, scalarsEqual } from './values';

/**
 * The unified format's "Evaluating Matches" rules: expected values are query-like (root-level
 * documents may carry extra fields, nested ones may not), arrays match element by element with the
 * same length, numbers compare by value, and `$$`-prefixed special operators assert things an
 * equality cannot (presence, type, optional fields, entities).
 */

/** Looks up entities for `$$matchesEntity` and `$$sessionLsid`. */
export interface EntityResolver {
  /** The BSON value saved under `id`; throws when there is none. */
  value(id: string): unknown;
  /** The logical session id of the session entity `id`; throws when there is none. */
  sessionLsid(id: string): Document;
}

/** Options of one match. */
export interface MatchOptions {
  /** Whether `actual` is a root-level document (extra fields allowed). Default true. */
  root?: boolean;
  /** Whether documents inside a root-level array are root-level too (cursor results). */
  rootArray?: boolean;
  entities?: EntityResolver;
}

/** A failed match, with the path to the first difference. */
export class MatchError extends Error {
  constructor(
    readonly path: string,
    readonly detail: string,
  ) {
    super(`${path}: ${detail}`);
    this.name = 'MatchError';
  }
}

interface Frame {
  path: string;
  root: boolean;
  entities?: EntityResolver;
}

function specialOperator(expected: unknown): string | undefined {
  if (!isDocument(expected)) return undefined;
  const keys = Object.keys(expected);
  return keys.length === 1 && keys[0].startsWith('$$') ? keys[0] : undefined;
}

function hasKey(doc: Record<string, unknown>, key: string): boolean {
  // Driver result classes (e.g. BulkWriteResult) expose fields as prototype getters.
  const own = Object.prototype.hasOwnProperty.call(doc, key);
  const inherited = !own && Object.getPrototypeOf(doc) !== Object.prototype && key in doc;
  return (own || inherited) && doc[key] !== undefined;
}

function fail(frame: Frame, detail: string): never {
  throw new MatchError(frame.path || '$', detail);
}

function needEntities(frame: Frame): EntityResolver {
  if (!frame.entities) fail(frame, 'special operator needs an entity map, none given');
  return frame.entities;
}

function matchOperator(operator: string, argument: unknown, actual: unknown, frame: Frame): void {
  switch (operator) {
    case '$$exists':
      if ((actual !== undefined) !== argument) fail(frame, argument ? 'expected to exist' : `expected to be unset, got ${describeValue(actual)}`);
      return;
    case '$$type':
      if (actual === undefined) fail(frame, `expected a value of type ${describeValue(argument)}, got unset`);
      if (!hasBsonType(actual, argument as string | string[])) fail(frame, `expected type ${describeValue(argument)}, got ${describeValue(actual)}`);
      return;
    case '$$unsetOrMatches':
      if (actual !== undefined) matchInFrame(argument, actual, frame);
      return;
    case '$$matchesEntity':
      matchInFrame(needEntities(frame).value(String(argument)), actual, frame);
      return;
    case '$$sessionLsid':
      matchInFrame(needEntities(frame).sessionLsid(String(argument)), actual, { ...frame, root: false });
      return;
    case '$$matchesHexBytes': {
      const hex = String(argument).toLowerCase();
      if (!/^([0-9a-f]{2})*$/.test(hex)) throw new Error(`malformed $$matchesHexBytes ${hex}`);
      const bytes = actual instanceof Uint8Array ? actual : isDocument(actual) ? undefined : (actual as { buffer?: Uint8Array })?.buffer;
      const actualHex = typeof actual === 'string' ? Buffer.from(actual, 'latin1').toString('hex') : bytes ? Buffer.from(bytes).toString('hex') : undefined;
      if (actualHex !== hex) fail(frame, `expected bytes ${hex}, got ${describeValue(actual)}`);
      return;
    }
    case '$$lte': {
      const limit = numericValue(argument);
      const value = numericValue(actual);
      if (limit === undefined || value === undefined || !(compareNumbers(value, limit) <= 0)) fail(frame, `expected a number <= ${describeValue(argument)}, got ${describeValue(actual)}`);
      return;
    }
    case '$$matchAsDocument': {
      if (typeof actual !== 'string') fail(frame, `expected an Extended JSON string, got ${describeValue(actual)}`);
      matchInFrame(argument, EJSON.parse(actual, { relaxed: false }), { ...frame, root: false });
      return;
    }
    case '$$matchAsRoot':
      matchInFrame(argument, actual, { ...frame, root: true });
      return;
    default:
      throw new Error(`unsupported special operator ${operator} at ${frame.path || '$'}`);
  }
}

function matchDocument(expected: Record<string, unknown>, actual: unknown, frame: Frame): void {
  if (!isDocument(actual)) fail(frame, `expected a document, got ${describeValue(actual)}`);
  for (const [key, value] of Object.entries(expected)) {
    const child: Frame = { path: frame.path ? `${frame.path}.${key}` : key, root: false, entities: frame.entities };
    const present = hasKey(actual, key);
    const operator = specialOperator(value);
    if (operator) {
      matchOperator(operator, (value as Record<string, unknown>)[operator], present ? actual[key] : undefined, child);
      continue;
    }
    if (!present) fail(child, `expected ${describeValue(value)}, but the field is unset`);
    matchInFrame(value, actual[key], child);
  }
  if (!frame.root) {
    const extra = Object.keys(actual).filter((key) => actual[key] !== undefined && !(key in expected));
    if (extra.length > 0) fail(frame, `unexpected field(s) ${extra.join(', ')} in nested document ${describeValue(actual)}`);
  }
}

// The driver builds some command fields (e.g. a find's sort) as a Map to keep key order.
function asDocumentIfMap(value: unknown): unknown {
  return value instanceof Map ? Object.fromEntries(value) : value;
}

function matchInFrame(expected: unknown, rawActual: unknown, frame: Frame, rootArray = false): void {
  const actual = asDocumentIfMap(rawActual);
  const operator = specialOperator(expected);
  if (operator) {
    matchOperator(operator, (expected as Record<string, unknown>)[operator], actual, frame);
    return;
  }
  if (isDocument(expected)) {
    matchDocument(expected, actual, frame);
    return;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) fail(frame, `expected an array, got ${describeValue(actual)}`);
    if (actual.length !== expected.length) {
      fail(frame, `expected ${expected.length} element(s), got ${actual.length}: ${describeValue(actual)}`);
    }
    expected.forEach((element, i) => {
      const root = rootArray && isDocument(element);
      matchInFrame(element, actual[i], { path: `${frame.path || '$'}[${i}]`, root, entities: frame.entities });
    });
    return;
  }
  if (!scalarsEqual(expected, actual)) fail(frame, `expected ${describeValue(expected)}, got ${describeValue(actual)}`);
}

/**
 * Asserts that `actual` matches `expected` under the unified format's rules.
 * @throws MatchError naming the path of the first difference; Error for a malformed expectation.
 */
export function assertMatches(expected: unknown, actual: unknown, options: MatchOptions = {}): void {
  const root = options.root ?? true;
  matchInFrame(expected, actual, { path: '', root, entities: options.entities }, root && (options.rootArray ?? false));
}

/** Like {@link assertMatches} but answers with the difference (or null) instead of throwing a MatchError. */
export function findMismatch(expected: unknown, actual: unknown, options: MatchOptions = {}): string | null {
  try {
    assertMatches(expected, actual, options);
    return null;
  } catch (error) {
    if (error instanceof MatchError) return error.message;
    throw error;
  }
}

function exactlyEqual(expected: unknown, rawActual: unknown, path: string): string | null {
  const actual = asDocumentIfMap(rawActual);
  if (isDocument(expected)) {
    if (!isDocument(actual)) return `${path}: expected ${describeValue(expected)}, got ${describeValue(actual)}`;
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    for (const key of keys) {
      if (!(key in expected)) return `${path}.${key}: unexpected field with ${describeValue(actual[key])}`;
      if (!(key in actual)) return `${path}.${key}: missing, expected ${describeValue(expected[key])}`;
      const difference = exactlyEqual(expected[key], actual[key], `${path}.${key}`);
      if (difference) return difference;
    }
    return null;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return `${path}: expected ${describeValue(expected)}, got ${describeValue(actual)}`;
    for (let i = 0; i < expected.length; i++) {
      const difference = exactlyEqual(expected[i], actual[i], `${path}[${i}]`);
      if (difference) return difference;
    }
    return null;
  }
  return scalarsEqual(expected, actual) ? null : `${path}: expected ${describeValue(expected)}, got ${describeValue(actual)}`;
}

/**
 * Compares collection contents the way `outcome` requires: no special operators, no extra fields
 * at any depth, key order ignored, numbers by value. Answers with the first difference or null.
 */
export function findExactMismatch(expected: unknown, actual: unknown): string | null {
  return exactlyEqual(expected, actual, '$');
}
