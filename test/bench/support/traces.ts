import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

/** One edit of a trace: delete `deleted` characters at `position`, then insert `inserted` there. */
export type TracePatch = [position: number, deleted: number, inserted: string];

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * The editing trace named by GODO_BENCH_TRACE (default: `automerge-paper`, the B4 trace), read from
 * GODO_BENCH_TRACES_DIR (default: ../shared/bench-data/editing-traces next to the repository).
 * Returns the sequential patches, flattened, and the text they end with.
 */
export function loadTrace(name = process.env.GODO_BENCH_TRACE ?? 'automerge-paper'): { patches: TracePatch[]; endContent: string } {
  const dir = process.env.GODO_BENCH_TRACES_DIR ?? path.resolve(repoRoot, '..', 'shared', 'bench-data', 'editing-traces');
  const json = JSON.parse(gunzipSync(readFileSync(path.join(dir, `${name}.json.gz`))).toString('utf8')) as {
    endContent: string;
    txns: { patches: TracePatch[] }[];
  };
  return { patches: json.txns.flatMap((txn) => txn.patches), endContent: json.endContent };
}

/** Applies a patch to a text of `length` characters, clamped so it stays valid in a shared document. */
export function clampPatch([position, deleted, inserted]: TracePatch, length: number): TracePatch {
  const at = Math.min(position, length);
  return [at, Math.min(deleted, length - at), inserted];
}
