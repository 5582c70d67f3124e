import type { RequestHandler } from 'express';
import type { Database } from '../db/connect.js';
import { pingDatabase } from '../db/dbHealth.js';

const states = ['disconnected', 'connected', 'connecting', 'disconnecting'] as const;

/** A health check must answer well within a balancer's probe timeout (typically 2–5 s). */
export const HEALTH_PING_TIMEOUT_MS = 1_000;

/** Why a process should not get traffic; `/healthz` lists every one that applies. */
export type UnhealthyReason = 'draining' | 'database_unreachable' | 'redis_disconnected';

/**
 * What the health endpoints know besides the database: whether this process is shutting down,
 * and (with REDIS_URL) whether its Redis connections are up. Built by `startGodo`.
 */
export interface ServiceHealth {
  /** True from the moment shutdown starts (SIGTERM) until the process exits. */
  readonly draining: boolean;
  /** Marks the process as draining: health answers 503 from now on. Idempotent. */
  beginDraining(): void;
  /** Redis connection state, or null when this process runs without Redis. */
  redis(): { connected: boolean } | null;
}

/** The health state of one process; `redis` is asked on every check. */
export function serviceHealth(redis: (() => { connected: boolean }) | null = null): ServiceHealth {
  let draining = false;
  return {
    get draining() {
      return draining;
    },
    beginDraining() {
      draining = true;
    },
    redis: () => (redis ? redis() : null),
  };
}

/**
 * The probes, answered before any session or CSRF work (and kept out of the API's route table):
 *
 * - `GET /healthz` (and its alias `GET /readyz`): may this process get traffic? 200 when the
 *   database answers a ping within HEALTH_PING_TIMEOUT_MS, Redis is connected (when configured)
 *   and the process is not draining; 503 otherwise, with `reasons`. Point load balancers here.
 * - `GET /livez`: is the process alive at all? 200 whenever it can answer, even while the
 *   database is away or it is draining: an orchestrator that restarted processes on a database
 *   outage would only add cold starts to the outage.
 */
export function healthRouter(db: Database, health: ServiceHealth = serviceHealth()): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    res.setHeader('Cache-Control', 'no-store');
    if (req.path === '/livez') {
      res.status(200).json({ ok: true, draining: health.draining });
      return;
    }
    if (req.path !== '/healthz' && req.path !== '/readyz') return next();
    void (async () => {
      const state: string = (states as readonly string[])[db.connection.readyState] ?? 'unknown';
      const ping = await pingDatabase(db.connection, HEALTH_PING_TIMEOUT_MS);
      const redis = health.redis();
      const reasons: UnhealthyReason[] = [];
      if (health.draining) reasons.push('draining');
      if (!ping.ok) reasons.push('database_unreachable');
      if (redis && !redis.connected) reasons.push('redis_disconnected');
      const ok = reasons.length === 0;
      res.status(ok ? 200 : 503).json({
        ok,
        status: ok ? 'ok' : health.draining ? 'draining' : 'unavailable',
        reasons,
        draining: health.draining,
        database: { state, embedded: db.embedded, pingMs: ping.pingMs, ...(ping.error ? { error: ping.error } : {}) },
        ...(redis ? { redis } : {}),
      });
    })().catch(next);
  };
}
