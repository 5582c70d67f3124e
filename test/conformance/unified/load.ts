import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EJSON } from 'bson';
import { compareVersions } from './requirements';
import type { UnifiedTestFile } from './types';

/** The newest schema version whose features the runner knows (the data set goes up to 1.21). */
export const SUPPORTED_SCHEMA_VERSION = '1.21';

/** A parsed test file and its name in the report. */
export interface LoadedFile {
  name: string;
  file: UnifiedTestFile;
}

/**
 * Reads every `.json` test file of `directory`, in name order, as canonical Extended JSON so
 * that `$numberLong`, `$oid`, `$date` and plain integers keep their BSON types.
 * @throws Error when the directory cannot be read or a file is not valid Extended JSON.
 */
export async function loadTestFiles(directory: string): Promise<LoadedFile[]> {
  const names = (await readdir(directory)).filter((name) => name.endsWith('.json')).sort();
  const files: LoadedFile[] = [];
  for (const name of names) {
    const text = await readFile(join(directory, name), 'utf8');
    try {
      files.push({ name, file: EJSON.parse(text, { relaxed: false }) as UnifiedTestFile });
    } catch (error) {
      throw new Error(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return files;
}

/** Why the runner cannot interpret `file`'s schema version, or null when it can. */
export function unsupportedSchema(file: UnifiedTestFile): string | null {
  const version = String(file.schemaVersion ?? '');
  if (!/^1(\.\d+)*$/.test(version)) return `unsupported schemaVersion ${version || '(none)'}`;
  return compareVersions(version, SUPPORTED_SCHEMA_VERSION) > 0 ? `schemaVersion ${version} is newer than ${SUPPORTED_SCHEMA_VERSION}` : null;
}
