import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLLAB_CLOSE_CODES } from '../../../shared/collab.js';
import type { EmbeddedServer } from '../../../server/db/embedded/server.js';
import type { RunningGodo } from '../../../server/index.js';
import { connectClient, synced, within, type TestClient } from '../collab/support/clients.js';
import { createReportFixture } from '../collab/support/godoHarness.js';
import { nodeEnv, redisUnavailable, startNode, startRedis, startSharedDb, type TestRedis } from './support/cluster.js';

// An access change made on one process reaches report connections held by another at once. The
// other is a child process: within one process every server hears the in-process signal anyway.

const skipReason = redisUnavailable();
if (skipReason) console.warn(`[scale tests skipped] ${skipReason}`);

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'support', 'clusterChild.ts');

describe.skipIf(skipReason !== null)('access changes across processes', () => {
  let redis: TestRedis;
  let shared: { db: EmbeddedServer; uri: string };
  let a: RunningGodo;
  let child: ChildProcess | undefined;
  let childUrl: string;
  let reviewer: TestClient | undefined;

  beforeAll(async () => {
    redis = await startRedis();
    shared = await startSharedDb();
    a = await startNode(shared.uri, redis.url, 'node-a');
    child = fork(CHILD, [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, ...nodeEnv(shared.uri, redis.url, 'node-k') },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const [ready] = (await within(once(child, 'message'), 'child ready', 40_000)) as [{ url: string }];
    childUrl = ready.url;
  }, 60_000);
  afterAll(async () => {
    reviewer?.destroy();
    if (child && child.exitCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }
    await a?.close();
    await shared?.db.close();
    await redis?.stop();
  });

  it('a conflict declared through one process closes the reviewer’s report on another (4404)', async () => {
    const fixture = await createReportFixture(a);
    reviewer = connectClient(childUrl, fixture.docName, fixture.cookies.reviewer);
    await synced(reviewer);
    const closed = new Promise<number>((resolve) => reviewer!.provider.once('closed', (event: { code: number }) => resolve(event.code)));
    const response = await fetch(`${a.url}/api/conflicts`, {
      method: 'POST',
      headers: { cookie: fixture.cookies.reviewer, 'content-type': 'application/json' },
      body: JSON.stringify({ proposalId: fixture.proposalId, type: 'personal' }),
    });
    expect(response.status).toBe(201);
    expect(await within(closed, 'the reviewer closed on the other process')).toBe(COLLAB_CLOSE_CODES.notFound);
  });
});
