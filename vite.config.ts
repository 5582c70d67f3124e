import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// One config for the client build (root client/, output dist/client) and the test projects.
export default defineConfig({
  root: 'client',
  plugins: [react()],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    rolldownOptions: {
      // shared/ builds its zod schemas at module top level next to the constants the client
      // imports (SCALES, PHASES, LIMITS). Declaring zod's builders pure lets an unused schema
      // (and with it all of zod) drop out of the bundle; a schema the client does use is kept.
      treeshake: { manualPureFunctions: ['z'] },
    },
  },
  server: {
    proxy: {
      '/api': 'http://localhost:3000',
      '/healthz': 'http://localhost:3000',
      '/socket.io': { target: 'http://localhost:3000', ws: true },
      '/collab': { target: 'ws://localhost:3000', ws: true },
    },
  },
  test: {
    root: '.',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'server',
          include: ['test/**/*.test.ts'],
          exclude: ['test/bench/**', 'test/e2e/**', 'node_modules/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          // Builds the client once (Vite's build API) and hands its folder to the tests.
          globalSetup: ['test/e2e/support/buildClient.ts'],
          // Each file runs a server and a Chromium; two cores run one file at a time best.
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
