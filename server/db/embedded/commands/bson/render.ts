import { bsonTag, isPlainObject } from './values.js';

/**
 * Renders a value the way MongoDB prints it in error messages (`{_id: 1}`,
 * `ObjectId('...')`, `"text"`), truncated so a huge document cannot flood a reply.
 */
export function renderValue(value: unknown, depth = 0): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value instanceof Date) return `new Date(${value.getTime()})`;
  if (value instanceof RegExp) return String(value);
  if (depth > 4) return '...';
  if (Array.isArray(value)) {
    const items = value.slice(0, 20).map((v) => renderValue(v, depth + 1));
    if (value.length > 20) items.push('...');
    return `[ ${items.join(', ')} ]`;
  }
  switch (bsonTag(value)) {
    case 'ObjectId':
      return `ObjectId('${String(value)}')`;
    case 'Int32':
    case 'Double':
      return String((value as { value: number }).value);
    case 'Long':
      return `${String(value)}`;
    case 'Decimal128':
      return `NumberDecimal("${String(value)}")`;
  }
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    const parts = keys.slice(0, 20).map((k) => `${k}: ${renderValue(value[k], depth + 1)}`);
    if (keys.length > 20) parts.push('...');
    return parts.length === 0 ? '{}' : `{ ${parts.join(', ')} }`;
  }
  return String(value);
}

/** `{_id: <value>}` as used in update error messages. */
export function renderId(doc: { _id?: unknown }): string {
  return `{_id: ${renderValue(doc._id)}}`;
}
