import { afterAll, afterEach, beforeAll } from 'vitest';
import type { RunningGodo } from '../../../../server/index.js';
import { startTestGodo } from '../../../helpers/godo.js';
import { connectClient, type TestClient } from './clients.js';
import type { ReportFixture } from './godoHarness.js';

/** One real Godo for a test file, and report clients that are destroyed after each test. */
export interface ReportSuite {
  /** Set once the file's `beforeAll` has run. */
  readonly godo: RunningGodo;
  /** A y-websocket client of the fixture's report, signed in with `cookie`. */
  client(fixture: ReportFixture, cookie: string): TestClient;
}

/** Registers the file's hooks (start Godo, destroy clients after each test, close Godo). Call at the top level. */
export function reportSuite(): ReportSuite {
  let godo: RunningGodo | undefined;
  const clients: TestClient[] = [];
  beforeAll(async () => {
    godo = await startTestGodo();
  });
  afterAll(async () => {
    await godo?.close();
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.destroy();
  });
  return {
    get godo() {
      if (!godo) throw new Error('reportSuite: Godo is not started yet (use it inside tests or hooks)');
      return godo;
    },
    client(fixture, cookie) {
      const created = connectClient(this.godo.url, fixture.docName, cookie);
      clients.push(created);
      return created;
    },
  };
}
