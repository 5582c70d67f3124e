import { readFileSync } from 'node:fs';

/** Live nodes of a heap snapshot by kind: what a program allocated, and what V8 keeps for its code. */
export interface HeapCensus {
  /** Objects, arrays, strings, closures, numbers… (what a leak is made of). */
  objects: { count: number; bytes: number };
  /** Compiled code, bytecode, feedback vectors and V8's hidden bookkeeping (grows as the JIT warms up). */
  code: { count: number; bytes: number };
  /** Per `type:name` (constructor name for objects): count and self bytes, for diffs. */
  byName: Map<string, { count: number; bytes: number }>;
}

/** Counts the nodes of a `.heapsnapshot` file (written by v8.writeHeapSnapshot after full GCs). */
export function heapCensus(file: string): HeapCensus {
  const snapshot = JSON.parse(readFileSync(file, 'utf8')) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
    strings: string[];
  };
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const census: HeapCensus = { objects: { count: 0, bytes: 0 }, code: { count: 0, bytes: 0 }, byName: new Map() };
  for (let i = 0; i < snapshot.nodes.length; i += width) {
    const type = types[snapshot.nodes[i + typeAt]];
    const bytes = snapshot.nodes[i + sizeAt];
    const bucket = type === 'code' || type === 'hidden' || type === 'object shape' ? census.code : census.objects;
    bucket.count += 1;
    bucket.bytes += bytes;
    const key = `${type}:${snapshot.strings[snapshot.nodes[i + nameAt]].slice(0, 60)}`;
    const entry = census.byName.get(key) ?? { count: 0, bytes: 0 };
    entry.count += 1;
    entry.bytes += bytes;
    census.byName.set(key, entry);
  }
  return census;
}

/**
 * Objects added in the kinds that grew from `before` to `after` (count and self bytes), kinds that
 * shrank left out. The net difference lets V8 dropping cached strings (module source, messages:
 * ~1,000 of them at once, whenever it decides) hide a leak of as many objects; this sum does not.
 */
export function grownTotal(before: HeapCensus, after: HeapCensus): { count: number; bytes: number } {
  const total = { count: 0, bytes: 0 };
  for (const [key, { count, bytes }] of after.byName) {
    if (key.startsWith('code:') || key.startsWith('hidden:') || key.startsWith('object shape:')) continue;
    const was = before.byName.get(key) ?? { count: 0, bytes: 0 };
    if (count > was.count) {
      total.count += count - was.count;
      total.bytes += Math.max(0, bytes - was.bytes);
    }
  }
  return total;
}

/** The kinds of object that grew most from `before` to `after` (by bytes), for the report. */
export function grownObjects(before: HeapCensus, after: HeapCensus, top = 5): string[] {
  const grown: [string, number, number][] = [];
  for (const [key, { count, bytes }] of after.byName) {
    if (key.startsWith('code:') || key.startsWith('hidden:') || key.startsWith('object shape:')) continue;
    const was = before.byName.get(key) ?? { count: 0, bytes: 0 };
    if (bytes > was.bytes) grown.push([key, count - was.count, bytes - was.bytes]);
  }
  return grown
    .sort((a, b) => b[2] - a[2])
    .slice(0, top)
    .map(([key, count, bytes]) => `${key} +${count} (${bytes} B)`);
}
