import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { openStorage } from '../../../../server/db/embedded/storage/engine';
import { againstRealMongo } from '../commands/harness.js';

const repo = resolve(__dirname, '../../../..');
const storage = (file: string) => pathToFileURL(join(repo, 'server/db/embedded/storage', file)).href;

// The writer inserts in bursts, asks for a flush after every document (so group commit
// serves many waiters per fsync) and prints each id once its flush has resolved. A small
// compactLogBytes makes compactions run throughout, so the kill can land inside one.
const WRITER = `
import { openStorage } from '${storage('engine.ts')}';
import { toStoredDocument } from '${storage('collectionStore.ts')}';
import { serializeBson } from '${storage('wal.ts')}';
const engine = await openStorage({ dir: process.argv[2], compactLogBytes: 48 * 1024 });
const docs = engine.ensureCollection('crash', 'docs');
for (let next = 0; ; ) {
  const acks = [];
  for (let k = 0; k < 40; k++, next++) {
    const id = next;
    docs.insert(toStoredDocument(serializeBson({ _id: id, pad: 'x'.repeat(120) })));
    acks.push(engine.flush().then(() => process.stdout.write(id + '\\n')));
  }
  await Promise.all(acks);
}
`;

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'godo-kill-'));
  writeFileSync(join(root, 'writer.mjs'), WRITER);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Runs the writer until it has acknowledged `target` ids, SIGKILLs it, and returns the acknowledged ids. */
function runAndKill(dir: string, target: number): Promise<number[]> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'writer.mjs'), dir], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    const acked: number[] = [];
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    createInterface({ input: child.stdout }).on('line', (line) => {
      acked.push(Number(line));
      if (acked.length === target) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer exited with ${code}: ${stderr}`));
      else resolvePromise(acked);
    });
  });
}

// Storage engine internals: nothing here talks to a server, so TEST_MONGODB_URI runs skip it.
describe.skipIf(againstRealMongo)('kill -9 during a write burst', () => {
  it('keeps every acknowledged document, across repeated kills', async () => {
    const dir = join(root, 'data');
    let snapshotsSeen = 0;
    for (const target of [300, 1500, 3000]) {
      const acked = await runAndKill(dir, target);
      expect(acked.length).toBeGreaterThanOrEqual(target);
      snapshotsSeen += readdirSync(dir).filter((f) => f.startsWith('snapshot-')).length;
      const engine = await openStorage({ dir });
      const ids = new Set([...(engine.collection('crash', 'docs')?.all() ?? [])].map((d) => d.plain._id as number));
      expect(acked.filter((id) => !ids.has(id))).toEqual([]);
      // Inserts are sequential, so the survivors must be a prefix of them: no holes.
      expect(Math.max(...ids)).toBe(ids.size - 1);
      // The next writer numbers from 0 again.
      engine.dropDatabase('crash');
      await engine.close();
    }
    // The kills happened while compactions were running, not only while logging.
    expect(snapshotsSeen).toBeGreaterThan(0);
  }, 60_000);
});
