import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLLAB_CLOSE_CODES, reportDocName } from '../../../shared/collab.js';
import { sectionFragment } from '../../../shared/collab/reportDoc.js';
import type { EmbeddedServer } from '../../../server/db/embedded/server.js';
import type { RunningGodo } from '../../../server/index.js';
import { connectClient, synced, within, type TestClient } from '../collab/support/clients.js';
import { createReportFixture } from '../collab/support/godoHarness.js';
import { advanceTo, assign, createCall, createMember, createProposal, eu, submitReview } from '../http/panelSetup.js';
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
  let editor: TestClient | undefined;

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
    editor?.destroy();
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
  it('a sign-off given through one process is voided by the next report edit on another', async () => {
    // The other process remembers "no pending sign-off" for its open report (30 s); the sign-off's
    // relayed announcement must end that, or the edit below would not void it for 30 s.
    const { callId } = await createCall(a, 'xs');
    const [po, officer, jst, anr] = await Promise.all([
      createMember(a, callId, 'xs-po', 'po', 'JST'),
      createMember(a, callId, 'xs-officer', 'officer', 'ANR'),
      createMember(a, callId, 'xs-jst', 'reviewer', 'JST'),
      createMember(a, callId, 'xs-anr', 'reviewer', 'ANR'),
    ]);
    const proposalId = await createProposal(a, callId);
    await assign(a, callId, proposalId, jst, true);
    await assign(a, callId, proposalId, anr);
    await advanceTo(a, po, callId, 'review');
    await submitReview(jst, proposalId, eu(4, 4, 3.5));
    await submitReview(anr, proposalId, eu(3.5, 3, 3));
    await advanceTo(a, po, callId, 'panel');
    expect((await po.client.put(`/api/proposals/${proposalId}/decision`, { kind: 'fund', version: 0 })).status).toBe(200);
    await advanceTo(a, po, callId, 'finalization');

    const docName = reportDocName(proposalId);
    editor = connectClient(childUrl, docName, po.client.cookieHeader());
    await within(synced(editor), 'editor sync on the other process');
    const type = (text: string) =>
      editor!.doc.transact(() => {
        const paragraph = new Y.XmlElement('paragraph');
        paragraph.insert(0, [new Y.XmlText(text)]);
        sectionFragment(editor!.doc, 'summary', 'en').insert(0, [paragraph]);
      });
    const unvoided = async () => {
      const decision = await a.models.Decision.findOne({ proposalId }).lean();
      return (decision?.signOffs ?? []).filter((s) => !s.voidedAt).map((s) => s.agency);
    };
    /** Resolves once the report's text as stored (what a sign-off hashes) differs from `hash`. */
    const decisionUrl = `/api/proposals/${proposalId}/decision`;
    const hashOnA = async () => (await po.client.get(decisionUrl)).body.decision.contentHash as string;
    const until = async (what: string, condition: () => Promise<boolean>) => {
      await within(
        (async () => {
          while (!(await condition())) await new Promise((resolve) => setImmediate(resolve));
        })(),
        what,
        10_000,
      );
    };
    // A first edit on the other process: its re-check reads "no pending sign-off" and remembers it.
    const before = await hashOnA();
    type('drafted on the other process');
    await until('the first edit reached process a', async () => (await hashOnA()) !== before);

    const signed = await hashOnA();
    expect((await officer.client.post(`/api/proposals/${proposalId}/signoffs`, { contentHash: signed })).status).toBe(201);
    expect(await unvoided()).toEqual(['ANR']);
    type('changed after the sign-off');
    await until('the sign-off voided by the edit on the other process', async () => (await unvoided()).length === 0);
  }, 60_000);
});
