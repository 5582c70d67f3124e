import express, { type ErrorRequestHandler, type Express } from 'express';
import helmet from 'helmet';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { AppError, fromDomainError, NotFoundError, PayloadTooLargeError, ValidationError } from '../errors.js';
import { DomainError } from '../domain/domainError.js';
import type { DocumentRegistry } from '../collab/registry.js';
import { reportRouter } from '../collab/report/reportRouter.js';
import type { Database } from '../db/connect.js';
import { healthRouter, type ServiceHealth } from './health.js';
import { DatabaseUnavailableError, isDatabaseUnreachable } from '../db/dbHealth.js';
import type { Models } from '../models/index.js';
import { loadSession } from './middleware/session.js';
import { csrfGuard } from './middleware/csrf.js';
import { authRouter } from './routes/auth.js';
import { callsRouter } from './routes/calls.js';
import { invitationsRouter } from './routes/invitations.js';
import { membersRouter } from './routes/members.js';
import { meRouter } from './routes/me.js';
import { proposalsRouter } from './routes/proposals.js';
import { conflictsRouter } from './routes/conflicts.js';
import { assignmentsRouter } from './routes/assignments.js';
import { reviewsRouter } from './routes/reviews.js';
import { consensusRouter } from './routes/consensus.js';
import { rankingRouter } from './routes/ranking.js';
import { decisionsRouter } from './routes/decisions.js';
import { auditRouter } from './routes/audit.js';
import { exportsRouter } from './routes/exports.js';
import { openApiRouter } from './routes/openapi.js';
import { commentsRouter } from './routes/comments.js';

export interface HttpAppDeps {
  db: Database;
  models: Models;
  logger: Logger;
  clock: () => Date;
  secureCookies: boolean;
  /** Built client (vite build output); served with an SPA fallback when present. */
  clientDir?: string;
  /** The live report documents (a getter: the collaboration server starts after the HTTP app). */
  collabDocuments?: () => DocumentRegistry;
  /** Draining and Redis state for the health probes (startGodo passes it; absent: database only). */
  health?: ServiceHealth;
  /** `GODO_TRUST_PROXY`: a hop count or a list of trusted proxy addresses/subnets (default `loopback`). */
  trustProxy?: string;
}

/** Express's `trust proxy` value for the configured text: a hop count as a number, else the list as it is. */
function trustProxySetting(value: string | undefined): number | string {
  if (value === undefined) return 'loopback';
  return /^\d+$/.test(value) ? Number(value) : value;
}

/** The Express app: security headers, JSON bodies, routers, client, and one error handler. */
export function createHttpApp(deps: HttpAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', trustProxySetting(deps.trustProxy));
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          connectSrc: ["'self'", 'ws:', 'wss:'],
          imgSrc: ["'self'", 'data:'],
          styleSrc: ["'self'", "'unsafe-inline'"],
          scriptSrc: ["'self'"],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
        },
      },
    }),
  );
  app.use(express.json({ limit: '1mb', strict: true }));
  app.use(healthRouter(deps.db, deps.health));
  app.use('/api', csrfGuard(), loadSession(deps.models, deps.clock));
  app.use('/api', authRouter(deps));
  app.use('/api', callsRouter(deps));
  app.use('/api', invitationsRouter(deps), membersRouter(deps), meRouter(deps));
  app.use('/api', proposalsRouter(deps), conflictsRouter(deps), assignmentsRouter(deps));
  app.use('/api', reviewsRouter(deps));
  app.use('/api', consensusRouter(deps));
  app.use('/api', rankingRouter(deps));
  app.use('/api', decisionsRouter(deps));
  app.use('/api', auditRouter(deps));
  app.use('/api', exportsRouter(deps));
  app.use('/api', commentsRouter(deps));
  if (deps.collabDocuments) app.use('/api', reportRouter({ ...deps, documents: deps.collabDocuments }));
  app.use('/api', openApiRouter());

  app.use('/api', (_req, _res, next) => next(new NotFoundError('No such API route')));

  const clientDir = deps.clientDir ?? path.resolve('dist/client');
  if (existsSync(path.join(clientDir, 'index.html'))) {
    app.use(express.static(clientDir, { index: false, maxAge: '1h' }));
    app.get('/{*splat}', (_req, res) => res.sendFile(path.join(clientDir, 'index.html')));
  }

  app.use(errorHandler(deps.logger));
  return app;
}

function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    let appError: AppError;
    if (err instanceof AppError) appError = err;
    else if (err instanceof DomainError) appError = fromDomainError(err);
    else if (isDatabaseUnreachable(err)) appError = new DatabaseUnavailableError();
    else if (err?.type === 'entity.too.large') appError = new PayloadTooLargeError();
    else if (err?.type === 'entity.parse.failed') appError = new ValidationError('Body is not valid JSON', { '(body)': 'must be a JSON object or array' });
    else {
      const refused = clientError(err);
      if (refused) appError = refused;
      else {
        logger.error({ err, method: req.method, url: req.originalUrl }, 'unhandled error');
        appError = new AppError(500, 'internal', 'Something went wrong on our side');
      }
    }
    res.status(appError.status).json(appError.toBody());
  };
}

/**
 * A malformed request refused by Express or the body parser before any route ran: the router's
 * 400 for a path that is not valid percent-encoding, and the body parser's http-errors marked
 * `expose` (unsupported charset or content encoding, a corrupt gzip body). Null for anything else.
 */
function clientError(err: unknown): AppError | null {
  const error = err as { status?: unknown; expose?: unknown } | null;
  if (typeof error?.status !== 'number' || error.status < 400 || error.status > 499) return null;
  if (err instanceof URIError) return new ValidationError('The address is not valid percent-encoding', { '(path)': 'could not be decoded' });
  if (error.expose !== true) return null;
  return error.status === 415
    ? new AppError(415, 'unsupported_media_type', 'Send UTF-8 JSON, uncompressed or gzip/deflate/br')
    : new ValidationError('The body could not be read', { '(body)': 'could not be decoded' });
}
