import { open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { commandError } from '../errors';

const LOCK_FILE = 'mongod.lock';

/** A held `mongod.lock`; `release()` removes it. */
export interface DataDirLock {
  readonly path: string;
  release(): Promise<void>;
}

/**
 * Takes `<dir>/mongod.lock` by creating it exclusively with our pid, so two processes never
 * open one data directory. A lock whose pid is dead (or empty/garbled, as a crash while writing
 * it leaves) is taken over and reported through `onStale`. Throws DBPathInUse when a live
 * process, this one included, holds it.
 */
export async function acquireDataDirLock(dir: string, onStale: (message: string) => void): Promise<DataDirLock> {
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx');
      try {
        await handle.writeFile(`${process.pid}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      return { path, release: () => unlink(path).catch(() => undefined) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = Number((await readFile(path, 'utf8').catch(() => '')).trim());
    if (isAlive(holder)) {
      throw commandError(
        'DBPathInUse',
        `Unable to lock the lock file: ${path}. Another mongod instance (pid ${holder}) is already running on the ${dir} directory`,
      );
    }
    // Best effort: two processes taking over one stale lock in the same instant could both
    // win; a pid file cannot exclude that without flock(2), which Node does not expose.
    onStale(`taking over ${path} left by dead pid ${holder || 'unknown'}`);
    await unlink(path).catch(() => undefined);
  }
  throw commandError('DBPathInUse', `Unable to lock the lock file: ${path}`);
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  // Another engine in this very process is as much a conflict as another process.
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
