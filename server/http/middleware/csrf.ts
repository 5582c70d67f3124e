import type { RequestHandler } from 'express';
import { AppError } from '../../errors.js';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF defence for cookie-authenticated state changes: bodies must be JSON (a cross-site form
 * cannot send that without a CORS preflight we never grant), and a browser's Origin header, when
 * present, must be this server's own origin.
 */
export function csrfGuard(): RequestHandler {
  return (req, _res, next) => {
    if (SAFE.has(req.method)) return next();
    const origin = req.get('origin');
    if (origin && origin !== 'null') {
      const expected = `${req.protocol}://${req.get('host')}`;
      if (origin !== expected) return next(new AppError(403, 'bad_origin', 'Cross-site request refused'));
    } else if (origin === 'null' || req.get('sec-fetch-site') === 'cross-site') {
      return next(new AppError(403, 'bad_origin', 'Cross-site request refused'));
    }
    const hasBody = Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;
    if (hasBody && !req.is('application/json')) {
      return next(new AppError(415, 'unsupported_media_type', 'Send JSON (Content-Type: application/json)'));
    }
    next();
  };
}
