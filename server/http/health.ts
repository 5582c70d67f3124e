import { Router } from 'express';
import type { Database } from '../db/connect.js';

const states = ['disconnected', 'connected', 'connecting', 'disconnecting'] as const;

/** GET /healthz: 200 with the database state when it answers a ping, 503 otherwise (load balancers read the status). */
export function healthRouter(db: Database): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    const state: string = (states as readonly string[])[db.connection.readyState] ?? 'unknown';
    let pingMs: number | null = null;
    try {
      const started = performance.now();
      await db.connection.db!.admin().ping();
      pingMs = Math.round((performance.now() - started) * 100) / 100;
    } catch {
      pingMs = null;
    }
    const ok = state === 'connected' && pingMs !== null;
    res.status(ok ? 200 : 503).json({ ok, database: { state, embedded: db.embedded, pingMs } });
  });
  return router;
}
