import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import { COLLAB_CLOSE_CODES, parseCollabDocName } from '../../../../shared/collab.js';
import type { ResolveAccess } from '../../../../server/collab/access.js';
import { createCollabServer, type CollabServer } from '../../../../server/collab/collabServer.js';
import type { CollabLimits } from '../../../../server/collab/limits.js';
import type { CollabPersistence } from '../../../../server/collab/persistence.js';
import { readSessionToken } from '../../../../server/http/middleware/session.js';
import type { Models } from '../../../../server/models/index.js';
import { memoryPersistence, SpyPersistence } from './persistence.js';

/** Limits that keep the lifecycle tests fast. */
export const FAST_LIMITS: Partial<CollabLimits> = { saveDelayMs: 20, retryBaseMs: 10, retryMaxMs: 50, shutdownFlushMs: 2_000 };

/** A collaboration server on a bare HTTP server, with fakes of its two interfaces (storage, access). */
export interface FakeCollab {
  url: string;
  collab: CollabServer;
  persistence: SpyPersistence;
  server: Server;
  /** Cookie header of a person who may edit / only read. */
  editor: string;
  reader: string;
  close(): Promise<void>;
}

/** Test access rule: `godo_session=edit-*` edits, `read-*` reads, anything else is unauthenticated. */
const fakeAccess: ResolveAccess = async (headers, docName) => {
  const token = readSessionToken(headers.cookie);
  if (!token || !/^(edit|read)-/.test(token)) return { ok: false, code: COLLAB_CLOSE_CODES.unauthenticated, reason: 'sign in first' };
  const parsed = parseCollabDocName(docName);
  if (!parsed) return { ok: false, code: COLLAB_CLOSE_CODES.notFound, reason: 'no such document' };
  return { ok: true, grant: { docName, proposalId: parsed.proposalId, callId: 'fake-call', user: { id: token, name: token }, readOnly: token.startsWith('read-') } };
};

/**
 * Starts the collaboration server on port 0 with the in-memory persistence (or `inner`, to share
 * storage across restarts) and the fake access rule above.
 */
export async function startFakeCollab(
  options: { inner?: CollabPersistence; limits?: Partial<CollabLimits>; port?: number; logger?: Logger; resolveAccess?: ResolveAccess } = {},
): Promise<FakeCollab> {
  const server = createServer((_req, res) => res.writeHead(404).end());
  const persistence = new SpyPersistence(options.inner ?? memoryPersistence());
  const collab = createCollabServer({
    httpServer: server,
    models: {} as Models,
    logger: options.logger ?? pino({ level: 'silent' }),
    clock: () => new Date(),
    persistence,
    resolveAccess: options.resolveAccess ?? fakeAccess,
    limits: { ...FAST_LIMITS, ...options.limits },
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    collab,
    persistence,
    server,
    editor: 'godo_session=edit-1',
    reader: 'godo_session=read-1',
    async close() {
      await collab.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** A fresh report document name. */
export function newDocName(): string {
  return `report:${[...crypto.getRandomValues(new Uint8Array(12))].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}
