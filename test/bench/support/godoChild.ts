/**
 * Bench child: Godo as deployed (session-cookie auth and policies on every upgrade, embedded
 * database on disk under GODO_DATA_DIR, collaboration persistence on). Seeds a panel-phase call
 * with DOCS proposals and EDITORS reviewers who may all edit every report, unless GODO_DATA_DIR
 * already holds a seed (a restart): then it reuses it from seed.json.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import mongoose from 'mongoose';
import * as Y from 'yjs';
import { reportDocName } from '../../../shared/collab.js';
import { loadConfig } from '../../../server/config.js';
import { createSession } from '../../../server/commands/auth/sessions.js';
import { startGodo, type RunningGodo } from '../../../server/index.js';
import { SESSION_COOKIE } from '../../../server/http/middleware/session.js';
import { bilateralCallInput } from '../../helpers/fixtures.js';
import { mongoPersistence } from '../../../server/collab/mongoPersistence.js';
import { serveIpc } from './servers.js';
import { loadTrace } from './traces.js';

async function seed(godo: RunningGodo, docs: number, editors: number) {
  const { models } = godo;
  const call = await models.Call.create({ ...bilateralCallInput(), phase: 'panel' });
  const docNames: string[] = [];
  const proposalIds: string[] = [];
  for (let d = 0; d < docs; d++) {
    const proposal = await models.Proposal.create({
      callId: call._id,
      ref: `BENCH-2026-${String(d).padStart(4, '0')}`,
      title: { en: `Bench proposal ${d}`, ja: `ベンチ ${d}` },
      pis: [{ name: 'Sato', institution: 'Tohoku University', email: `sato${d}@tohoku.example`, agency: 'JST' }],
      budget: { JST: 10_000_000 },
      periodMonths: 36,
    });
    docNames.push(reportDocName(String(proposal._id)));
    proposalIds.push(String(proposal._id));
  }
  const cookies: string[] = [];
  for (let e = 0; e < editors; e++) {
    const user = await models.User.create({ email: `editor${e}@godo.example`, name: `Editor ${e}`, passwordHash: 'unused', language: 'en', timeZone: 'UTC' });
    await models.Membership.create({ callId: call._id, userId: user._id, role: 'reviewer', agency: 'JST' });
    cookies.push(`${SESSION_COOKIE}=${await createSession(models, user._id, {}, new Date())}`);
  }
  return { docNames, cookies, callId: String(call._id), proposalIds };
}

const dataDir = process.env.GODO_DATA_DIR!;
const config = loadConfig({
  NODE_ENV: 'test',
  PORT: process.env.PORT ?? '0',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'silent',
  // The production default (database in its worker thread) unless the bench asks otherwise.
  GODO_DB_WORKER: process.env.GODO_DB_WORKER ?? 'true',
  // The production default unless the bench compares (GODO_BACKGROUND_NICE=0: threads left as they are).
  ...(process.env.GODO_BACKGROUND_NICE ? { GODO_BACKGROUND_NICE: process.env.GODO_BACKGROUND_NICE } : {}),
  GODO_SEED_DEMO: 'false',
  GODO_DATA_DIR: dataDir,
});
const godo = await startGodo(config, { inMemoryDb: false });
const seedFile = path.join(dataDir, 'seed.json');
const seeded = existsSync(seedFile)
  ? (JSON.parse(readFileSync(seedFile, 'utf8')) as Awaited<ReturnType<typeof seed>>)
  : await seed(godo, Number(process.env.DOCS ?? 1), Number(process.env.EDITORS ?? 1));
writeFileSync(seedFile, JSON.stringify(seeded));
const persistence = mongoPersistence(godo.models);
// BENCH_DB_COUNT=1: count the database operations the server issues (which path costs the round-trips).
const dbOps = new Map<string, number>();
if (process.env.BENCH_DB_COUNT) {
  mongoose.set('debug', (collection: string, method: string) => {
    const key = `${collection}.${method}`;
    dbOps.set(key, (dbOps.get(key) ?? 0) + 1);
  });
}
serveIpc(async (message) => {
  if (message.type === 'stats') return godo.collab.stats();
  if (message.type === 'dbOps') {
    const counted = Object.fromEntries(dbOps);
    dbOps.clear();
    return counted;
  }
  if (message.type === 'storeTrace') return storeTrace(message.docName as string, message.count as number);
  if (message.type === 'meetingSetup') return meetingSetup(message.participants as number);
  if (message.type === 'restSetup') return restSetup(message.reviewers as number, message.proposals as number);
  if (message.type === 'compact') return timeCompaction(message.docName as string);
  if (message.type === 'unloaded') {
    while (godo.collab.registry.names().includes(message.docName as string)) await once(godo.collab.registry, 'unloaded');
    return true;
  }
  return undefined;
});

/** A panel-phase call with a programme director (the moderator), `participants` reviewers and two proposals. */
async function meetingSetup(participants: number) {
  const { models } = godo;
  const call = await models.Call.create({ ...bilateralCallInput(), phase: 'panel', version: 0 });
  const proposalIds: string[] = [];
  for (let n = 0; n < 2; n++) {
    const proposal = await models.Proposal.create({
      callId: call._id,
      ref: `MEET-2026-${n}`,
      title: { en: `Meeting proposal ${n}`, ja: `会議 ${n}` },
      pis: [{ name: 'PI', institution: 'Institute', email: `pi${n}@jst.example`, agency: 'JST' }],
      budget: { JST: [1_000, 1_000, 1_000] },
      periodMonths: 36,
    });
    proposalIds.push(String(proposal._id));
  }
  const person = async (handle: string, role: 'pd' | 'reviewer') => {
    const user = await models.User.create({ email: `${handle}@meeting.example`, name: handle, passwordHash: 'unused', language: 'en', timeZone: 'UTC' });
    await models.Membership.create({ callId: call._id, userId: user._id, role, agency: 'JST' });
    return `${SESSION_COOKIE}=${await createSession(models, user._id, {}, new Date())}`;
  };
  const moderator = await person('moderator', 'pd');
  const cookies: string[] = [];
  for (let i = 0; i < participants; i++) cookies.push(await person(`participant${i}`, 'reviewer'));
  return { callId: String(call._id), proposalIds, moderator, cookies };
}

/**
 * A review-phase call with `proposals` proposals and `reviewers` reviewers, each assigned to every
 * proposal (so every (reviewer, proposal) pair is its own review: concurrent saves never conflict),
 * and a programme director who reads the reconciliations. Session cookies, as a browser holds them.
 */
async function restSetup(reviewers: number, proposals: number) {
  const { models } = godo;
  const call = await models.Call.create({ ...bilateralCallInput(), phase: 'review' });
  const proposalIds: string[] = [];
  for (let n = 0; n < proposals; n++) {
    const proposal = await models.Proposal.create({
      callId: call._id,
      ref: `REST-2026-${String(n).padStart(3, '0')}`,
      title: { en: `REST proposal ${n}`, ja: `REST ${n}` },
      pis: [{ name: 'PI', institution: 'Institute', email: `rest${n}@jst.example`, agency: 'JST' }],
      budget: { JST: [1_000, 1_000, 1_000] },
      periodMonths: 36,
    });
    proposalIds.push(String(proposal._id));
  }
  const person = async (handle: string, role: 'pd' | 'reviewer', agency: string) => {
    const user = await models.User.create({ email: `${handle}@rest.example`, name: handle, passwordHash: 'unused', language: 'en', timeZone: 'UTC' });
    await models.Membership.create({ callId: call._id, userId: user._id, role, agency });
    return { id: user._id, cookie: `${SESSION_COOKIE}=${await createSession(models, user._id, {}, new Date())}` };
  };
  const director = await person('rest-pd', 'pd', 'JST');
  const cookies: string[] = [];
  for (let r = 0; r < reviewers; r++) {
    const agency = r % 2 ? 'ANR' : 'JST';
    const reviewer = await person(`rest-reviewer${r}`, 'reviewer', agency);
    cookies.push(reviewer.cookie);
    for (const proposalId of proposalIds) {
      await models.Assignment.create({ callId: call._id, proposalId, reviewerId: reviewer.id, agency, acceptedAt: new Date(), noConflictCertifiedAt: new Date() });
    }
  }
  return { callId: String(call._id), proposalIds, director: director.cookie, cookies, criteria: bilateralCallInput().criteria.map((c) => c.key) };
}

/** Stores the trace's first `count` edits as `count` updates, 100 per stored batch (as the save queue would). */
async function storeTrace(docName: string, count: number): Promise<{ chars: number; bytes: number }> {
  const { patches } = loadTrace();
  const doc = new Y.Doc();
  const text = doc.getText('bench');
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  for (let i = 0; i < count; i++) {
    const [at, deleted, inserted] = patches[i];
    doc.transact(() => {
      if (deleted > 0) text.delete(at, deleted);
      if (inserted) text.insert(at, inserted);
    });
  }
  for (let i = 0; i < updates.length; i += 100) await persistence.storeUpdates(docName, updates.slice(i, i + 100));
  return { chars: text.length, bytes: updates.reduce((sum, u) => sum + u.length, 0) };
}

/** Loads what is stored through the persistence layer and compacts it; milliseconds of each step. */
async function timeCompaction(docName: string): Promise<{ loadMs: number; applyMs: number; compactMs: number }> {
  const t0 = performance.now();
  const stored = await persistence.load(docName);
  const t1 = performance.now();
  const doc = new Y.Doc();
  // As the server loads (server/collab/document.ts): one transaction per stored update.
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
  for (const update of stored.updates) Y.applyUpdate(doc, update);
  const state = Y.encodeStateAsUpdate(doc);
  const t2 = performance.now();
  await persistence.compact(docName, state);
  return { loadMs: t1 - t0, applyMs: t2 - t1, compactMs: performance.now() - t2 };
}
process.once('SIGTERM', () => void godo.close().then(() => process.exit(0)));
process.send!({
  type: 'ready',
  wsUrl: godo.url.replace(/^http/, 'ws') + '/collab',
  httpUrl: godo.url,
  port: godo.port,
  docNames: seeded.docNames,
  cookies: seeded.cookies,
  callId: seeded.callId,
  proposalIds: seeded.proposalIds,
});

