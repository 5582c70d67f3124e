import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../shared/schemas/apiError.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'embedded' ? [] : sourceFiles(full);
    return full.endsWith('.ts') ? [full] : [];
  });
}

// The client translates error codes; a code the server sends but the shared list lacks would
// show untranslated. The embedded database speaks MongoDB's numeric codes instead, so it is skipped.
describe('error codes', () => {
  it('every code the server raises is in the shared ERROR_CODES list', () => {
    const patterns = [
      /new AppError\(\s*\d+,\s*'([a-z_]+)'/g,
      /super\(\s*\d+,\s*'([a-z_]+)'/g,
      /new DomainError\(\s*'([a-z_]+)'/g,
      /new ConflictError\([^;]*?,\s*'([a-z_]+)'\)/g,
    ];
    const found = new Map<string, string>();
    for (const file of sourceFiles(path.resolve('server'))) {
      const text = readFileSync(file, 'utf8');
      for (const pattern of patterns) for (const match of text.matchAll(pattern)) found.set(match[1], file);
    }
    expect(found.size).toBeGreaterThan(10);
    const missing = [...found].filter(([code]) => !(ERROR_CODES as readonly string[]).includes(code));
    expect(missing).toEqual([]);
  });
});
