import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, inject, it } from 'vitest';

/** The scripts the first screen loads: the entry and everything it preloads (lazy routes are not among them). */
function initialScripts(clientDir: string): string[] {
  const html = readFileSync(path.join(clientDir, 'index.html'), 'utf8');
  const entries = [...html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g), ...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)];
  return entries.map((match) => match[1]);
}

describe('the built client', () => {
  const clientDir = inject('clientDir');

  it('keeps the initial JavaScript under 250 KB gzipped', () => {
    const scripts = initialScripts(clientDir);
    expect(scripts.length).toBeGreaterThan(0);
    const gzipped = scripts.reduce((sum, src) => sum + gzipSync(readFileSync(path.join(clientDir, src))).length, 0);
    console.info(`initial JS: ${scripts.length} files, ${(gzipped / 1024).toFixed(1)} KB gzipped`);
    expect(gzipped).toBeLessThan(250 * 1024);
  });

  it('has no inline script, so the server CSP (script-src self) holds', () => {
    const html = readFileSync(path.join(clientDir, 'index.html'), 'utf8');
    const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].filter((match) => match[1].trim() !== '');
    expect(inline).toEqual([]);
  });
});
