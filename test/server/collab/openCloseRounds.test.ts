import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportDocName } from '../../../shared/collab.js';
import { createSession } from '../../../server/commands/auth/sessions.js';
import { EMBEDDED_MAX_POOL_SIZE } from '../../../server/db/connect.js';
import { SESSION_COOKIE } from '../../../server/http/middleware/session.js';
import type { RunningGodo } from '../../../server/index.js';
import { bilateralCallInput } from '../../helpers/fixtures.js';
import { startTestGodo } from '../../helpers/godo.js';
import { connectClient, docSatisfies, synced, within, type TestClient } from './support/clients.js';

// Issue #6 ("zero growth after disconnects"): the memory bench's heap snapshots showed every
// round of 20 documents opened at once and closed leaving ~12 objects, closures, contexts and
// bound functions per new MongoDB driver connection: the driver's pool grew to each round's peak
// of concurrent queries (28 → 41 sockets in 10 rounds, default cap 100; here +2 sockets every
// round after the first, the driver's `maxConnecting`, without the cap). These rounds check the
// structures that such rounds could grow: the database connections and the collaboration
// server's registry, listeners and upgrade handlers, all back to their size after each round.

const DOCS = 24;
const ROUNDS = 4;
/** The driver's server monitor (and, when it streams, its round-trip pinger) hold a socket each besides the pool. */
const MONITOR_SOCKETS = 2;

describe('documents opened together and closed, round after round', () => {
  let godo: RunningGodo;
  let docNames: string[];
  let cookie: string;

  beforeAll(async () => {
    godo = await startTestGodo();
    const { models } = godo;
    const call = await models.Call.create({ ...bilateralCallInput(), phase: 'panel' });
    const proposals = await models.Proposal.insertMany(
      Array.from({ length: DOCS }, (_, n) => ({
        callId: call._id,
        ref: `ROUND-2026-${String(n).padStart(3, '0')}`,
        title: { en: `Proposal ${n}`, ja: `提案 ${n}` },
        pis: [{ name: 'Sato', institution: 'Tohoku University', email: `sato${n}@tohoku.example`, agency: 'JST' }],
        budget: { JST: 10_000_000 },
        periodMonths: 36,
      })),
    );
    docNames = proposals.map((proposal) => reportDocName(String(proposal._id)));
    const user = await models.User.create({ email: 'rounds@godo.example', name: 'Rounds', passwordHash: 'unused', language: 'en', timeZone: 'UTC' });
    await models.Membership.create({ callId: call._id, userId: user._id, role: 'reviewer', agency: 'JST' });
    cookie = `${SESSION_COOKIE}=${await createSession(models, user._id, {}, new Date())}`;
  });

  afterAll(async () => {
    await godo?.close();
  });

  /** Connections the database server holds now (its own count, from serverStatus). */
  async function databaseConnections(): Promise<number> {
    const status = await godo.db.connection.db!.admin().command({ serverStatus: 1 });
    return (status.connections as { current: number }).current;
  }

  /** Waits until no document of the round is in memory (each one stored, then unloaded). */
  async function allUnloaded(): Promise<void> {
    const { registry } = godo.collab;
    while (registry.names().length > 0) await within(once(registry, 'unloaded'), 'documents unloaded');
  }

  /** Every client opens its document at once (as a panel opening its reports), edits, and leaves. */
  async function round(n: number): Promise<void> {
    const clients: TestClient[] = docNames.map((docName) => connectClient(godo.url, docName, cookie));
    try {
      await Promise.all(clients.map((client) => synced(client)));
      await Promise.all(
        clients.map((client, i) => {
          client.doc.getText('t').insert(0, `round ${n} `);
          const expected = client.doc.getText('t').toString();
          const server = () => godo.collab.registry.get(docNames[i])?.doc;
          return docSatisfies(server()!, () => server()?.getText('t').toString() === expected, `round ${n} edit on the server`);
        }),
      );
    } finally {
      for (const client of clients) client.destroy();
    }
    await allUnloaded();
  }

  /** The structures a round must leave as it found them. */
  async function structures() {
    const { registry } = godo.collab;
    return {
      documents: registry.names().length,
      stats: godo.collab.stats(),
      registryListeners: Object.fromEntries(registry.eventNames().map((event) => [String(event), registry.listenerCount(event)])),
      upgradeListeners: godo.server.listenerCount('upgrade'),
      // A real MongoDB (TEST_MONGODB_URI) counts every client's connections and keeps the driver's own pool.
      databaseConnections: godo.db.embedded ? await databaseConnections() : 0,
    };
  }

  it('leaves the registry, its listeners and the database connections as the first round left them', async () => {
    // Each document's opening runs several queries at once: the burst must exceed the pool's ceiling.
    expect(EMBEDDED_MAX_POOL_SIZE).toBeLessThan(DOCS);
    await round(0);
    const first = await structures();
    expect(first.documents).toBe(0);
    expect(first.stats).toMatchObject({ documents: 0, loading: 0, connections: 0, pendingUpdates: 0, upgrading: 0 });
    // The pool has a fixed ceiling for the embedded database: a burst of DOCS × (session, access and
    // load queries) may fill it, never grow it further.
    if (godo.db.embedded) expect(first.databaseConnections).toBeLessThanOrEqual(EMBEDDED_MAX_POOL_SIZE + MONITOR_SOCKETS);
    for (let n = 1; n <= ROUNDS; n++) {
      await round(n);
      const now = await structures();
      expect(now.documents, `round ${n}`).toBe(0);
      expect(now.stats, `round ${n}`).toEqual(first.stats);
      expect(now.registryListeners, `round ${n}`).toEqual(first.registryListeners);
      expect(now.upgradeListeners, `round ${n}`).toBe(first.upgradeListeners);
      expect(now.databaseConnections, `round ${n}: database connections`).toBeLessThanOrEqual(first.databaseConnections);
    }
  }, 120_000);
});
