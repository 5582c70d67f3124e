import { pino, type Logger } from 'pino';
import { Writable } from 'node:stream';
import { reportDocName } from '../../../../shared/collab.js';
import { createCollabServer, type CollabServer } from '../../../../server/collab/collabServer.js';
import type { CollabLimits } from '../../../../server/collab/limits.js';
import { mongoPersistence } from '../../../../server/collab/mongoPersistence.js';
import type { RunningGodo } from '../../../../server/index.js';
import { bilateralCallInput, createUser, signIn } from '../../../helpers/fixtures.js';
import { startTestGodo } from '../../../helpers/godo.js';
import { FAST_LIMITS, startFakeCollab, newDocName, type FakeCollab } from './fakeServer.js';
import { memoryPersistence, SpyPersistence } from './persistence.js';

/** One pino line, parsed. */
export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** pino's number for `error`. */
export const ERROR_LEVEL = 50;

/** A logger that keeps its lines in `lines` (tests check that failures are logged loudly). */
export function capturingLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

/**
 * A collaboration server under test, whichever storage is behind it. `restart()` replaces the
 * collaboration server by a new one on the same URL and storage (memory is lost, storage is not).
 */
export interface CollabHarness {
  readonly url: string;
  readonly collab: CollabServer;
  readonly persistence: SpyPersistence;
  readonly logs: LogLine[];
  /** Cookie header of a person who may edit the document. */
  readonly editor: string;
  readonly docName: string;
  restart(limits?: Partial<CollabLimits>): Promise<void>;
  close(): Promise<void>;
}

/** The collaboration server on a bare HTTP server with the in-memory persistence fake. */
export async function fakeHarness(limits: Partial<CollabLimits> = {}): Promise<CollabHarness> {
  const inner = memoryPersistence();
  const { logger, lines } = capturingLogger();
  let current: FakeCollab = await startFakeCollab({ inner, limits, logger });
  const port = Number(new URL(current.url).port);
  return {
    get url() {
      return current.url;
    },
    get collab() {
      return current.collab;
    },
    get persistence() {
      return current.persistence;
    },
    logs: lines,
    editor: current.editor,
    docName: newDocName(),
    async restart(next = limits) {
      await current.close();
      current = await startFakeCollab({ inner, limits: next, logger, port });
    },
    close: () => current.close(),
  };
}

/** A panel-phase bilateral call with one proposal, and people in every relation to it. */
export interface ReportFixture {
  proposalId: string;
  docName: string;
  cookies: { reviewer: string; po: string; observer: string; outsider: string; conflicted: string };
}

/** Creates the call, proposal, memberships, assignment and conflict directly through the models. */
export async function createReportFixture(godo: RunningGodo, phase = 'panel'): Promise<ReportFixture> {
  const { models } = godo;
  const tag = Math.random().toString(36).slice(2, 8);
  const call = await models.Call.create({ ...bilateralCallInput(), phase });
  const proposal = await models.Proposal.create({
    callId: call._id,
    ref: `SICORP-2026-${tag}`,
    title: { en: 'Catalysts', ja: '触媒' },
    pis: [
      { name: 'Sato', institution: 'Kyoto University', email: 'sato@kyoto-u.example', agency: 'JST' },
      { name: 'Martin', institution: 'CNRS', email: 'martin@cnrs.example', agency: 'ANR' },
    ],
    budget: { JST: 20_000_000, ANR: 150_000 },
    periodMonths: 36,
  });
  const person = async (role: string, name: string, options: { agency?: string; member?: boolean } = {}) => {
    const user = await createUser(godo, { email: `${name}-${tag}@godo.example` });
    if (options.member !== false) await models.Membership.create({ callId: call._id, userId: user.id, role, agency: options.agency });
    return { id: user.id, cookie: (await signIn(godo, user.email)).cookieHeader() };
  };
  const reviewer = await person('reviewer', 'reviewer', { agency: 'JST' });
  const po = await person('po', 'po', { agency: 'JST' });
  const observer = await person('observer', 'observer');
  const outsider = await person('reviewer', 'outsider', { member: false });
  const conflicted = await person('reviewer', 'conflicted', { agency: 'ANR' });
  for (const assigned of [reviewer, conflicted]) {
    await models.Assignment.create({ callId: call._id, proposalId: proposal._id, reviewerId: assigned.id, agency: 'JST' });
  }
  await models.Conflict.create({ callId: call._id, proposalId: proposal._id, userId: conflicted.id, type: 'recent_collaborator', status: 'confirmed', source: 'declared' });
  return {
    proposalId: String(proposal._id),
    docName: reportDocName(String(proposal._id)),
    cookies: { reviewer: reviewer.cookie, po: po.cookie, observer: observer.cookie, outsider: outsider.cookie, conflicted: conflicted.cookie },
  };
}

/**
 * Godo on port 0 with the embedded database; its collaboration server is replaced by one with the
 * Mongo persistence behind a spy (to observe and disturb saves), fast timings and a capturing logger.
 */
export async function godoHarness(limits: Partial<CollabLimits> = {}): Promise<CollabHarness & { godo: RunningGodo; fixture: ReportFixture }> {
  const godo = await startTestGodo();
  const fixture = await createReportFixture(godo);
  const { logger, lines } = capturingLogger();
  const build = (next: Partial<CollabLimits>) => {
    const persistence = new SpyPersistence(mongoPersistence(godo.models));
    const collab = createCollabServer({ httpServer: godo.server, models: godo.models, logger, clock: () => new Date(), persistence, limits: { ...FAST_LIMITS, ...next } });
    return { persistence, collab };
  };
  await godo.collab.close();
  let current = build(limits);
  return {
    godo,
    fixture,
    url: godo.url,
    get collab() {
      return current.collab;
    },
    get persistence() {
      return current.persistence;
    },
    logs: lines,
    editor: fixture.cookies.reviewer,
    docName: fixture.docName,
    async restart(next = limits) {
      await current.collab.close();
      current = build(next);
    },
    async close() {
      await current.collab.close();
      await godo.close();
    },
  };
}
