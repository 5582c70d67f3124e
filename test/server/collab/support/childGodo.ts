/**
 * Test-only: runs Godo (embedded database on disk) in a child process, so a test can SIGKILL it and
 * start it again on the same data directory and port. Run with `node --import tsx` through `fork`.
 *
 * env: GODO_DATA_DIR, PORT, SEED=1 to create a panel-phase proposal and two editors' sessions,
 * SAVE_DELAY_MS to replace the wired collaboration server by one that batches saves that long.
 * IPC out: { type: 'ready', url, port, seed? }. IPC in: { type: 'stored', docName } → the state
 * stored in the database once the document has unloaded, as { type: 'stored', state: base64 }.
 */
import { once } from 'node:events';
import * as Y from 'yjs';
import { reportDocName } from '../../../../shared/collab.js';
import { loadConfig } from '../../../../server/config.js';
import { createSession } from '../../../../server/commands/auth/sessions.js';
import { createCollabServer } from '../../../../server/collab/collabServer.js';
import { mongoPersistence } from '../../../../server/collab/mongoPersistence.js';
import { startGodo, type RunningGodo } from '../../../../server/index.js';
import { SESSION_COOKIE } from '../../../../server/http/middleware/session.js';
import { bilateralCallInput } from '../../../helpers/fixtures.js';

async function seed(godo: RunningGodo) {
  const { models } = godo;
  const call = await models.Call.create({ ...bilateralCallInput(), phase: 'panel' });
  const proposal = await models.Proposal.create({
    callId: call._id,
    ref: 'SICORP-2026-001',
    title: { en: 'Batteries', ja: '電池' },
    pis: [{ name: 'Sato', institution: 'Tohoku University', email: 'sato@tohoku.example', agency: 'JST' }],
    budget: { JST: 10_000_000 },
    periodMonths: 36,
  });
  const cookies: string[] = [];
  for (const [name, role] of [['rapporteur', 'reviewer'], ['po', 'po']] as const) {
    const user = await models.User.create({ email: `${name}@godo.example`, name, passwordHash: 'unused', language: 'en', timeZone: 'UTC' });
    await models.Membership.create({ callId: call._id, userId: user._id, role, agency: 'JST' });
    if (role === 'reviewer') await models.Assignment.create({ callId: call._id, proposalId: proposal._id, reviewerId: user._id, agency: 'JST' });
    cookies.push(`${SESSION_COOKIE}=${await createSession(models, user._id, {}, new Date())}`);
  }
  return { docName: reportDocName(String(proposal._id)), cookies };
}

async function main(): Promise<void> {
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: process.env.PORT ?? '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    GODO_DB_WORKER: 'false',
    GODO_SEED_DEMO: 'false',
    GODO_DATA_DIR: process.env.GODO_DATA_DIR!,
  });
  const godo = await startGodo(config, { inMemoryDb: false });
  const seeded = process.env.SEED === '1' ? await seed(godo) : undefined;
  let collab = godo.collab;
  if (process.env.SAVE_DELAY_MS) {
    await collab.close();
    const limits = { saveDelayMs: Number(process.env.SAVE_DELAY_MS) };
    collab = createCollabServer({ httpServer: godo.server, models: godo.models, logger: godo.logger, clock: () => new Date(), limits });
  }
  process.on('message', async (message: { type: string; docName: string }) => {
    if (message.type !== 'stored') return;
    while (collab.registry.names().includes(message.docName)) await once(collab.registry, 'unloaded');
    const stored = await mongoPersistence(godo.models).load(message.docName);
    const doc = new Y.Doc();
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
    for (const update of stored.updates) Y.applyUpdate(doc, update);
    process.send!({ type: 'stored', state: Buffer.from(Y.encodeStateAsUpdate(doc)).toString('base64') });
  });
  process.once('SIGTERM', () => void collab.close().then(() => godo.close()).then(() => process.exit(0)));
  process.send!({ type: 'ready', url: godo.url, port: godo.port, seed: seeded });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
