import { rm } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'vite';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  interface ProvidedContext {
    /** Folder of the client built for this run (served by the test servers). */
    clientDir: string;
  }
}

/**
 * Vitest global setup of the browser tests: builds the client once with Vite's build API (the
 * same config as `npm run build`) into a folder of this run under test-artifacts/ (two runs in one
 * checkout must not empty each other's), hands it to the test files, and removes it afterwards.
 */
export async function setup(project: TestProject): Promise<() => Promise<void>> {
  const root = path.resolve(import.meta.dirname, '../../..');
  const outDir = path.join(root, 'test-artifacts', `client-${process.pid}`);
  // Vitest runs with NODE_ENV=test, which would give React's development build; test the real one.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: path.join(root, 'vite.config.ts'),
      mode: 'production',
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true },
    });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  project.provide('clientDir', outDir);
  return () => rm(outDir, { recursive: true, force: true });
}
