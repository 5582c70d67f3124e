import type { ExtendedError } from 'socket.io';
import type { RealtimeError } from '../../shared/realtime/events.js';
import { resolveSession } from '../commands/auth/sessions.js';
import { readSessionToken } from '../http/middleware/session.js';
import type { Models } from '../models/index.js';
import type { GodoSocket } from './types.js';

/** A refused handshake: the client's `connect_error` carries `message` = the code and `data` = the error. */
function refusal(error: RealtimeError): ExtendedError {
  const refused: ExtendedError = new Error(error.code);
  refused.data = error;
  return refused;
}

/**
 * Whether a browser's Origin (when it sends one) is this server's own. Socket.IO over cookies is
 * otherwise open to cross-site websocket hijacking; non-browser clients send no Origin.
 */
function sameOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (!origin) return true;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/**
 * `io.use` middleware: the session cookie names the person (as for the REST API). Sockets without
 * a live session are refused with `unauthenticated`; cross-site ones with `forbidden`.
 */
export function sessionHandshake(models: Models, clock: () => Date) {
  return async (socket: GodoSocket, next: (error?: ExtendedError) => void): Promise<void> => {
    try {
      const headers = socket.handshake.headers;
      if (!sameOrigin(headers.origin, headers.host)) {
        return next(refusal({ code: 'forbidden', message: 'Cross-site connection refused' }));
      }
      const token = readSessionToken(headers.cookie);
      const found = token ? await resolveSession(models, token, clock()) : null;
      if (!found) return next(refusal({ code: 'unauthenticated', message: 'Sign in first' }));
      const { user } = found;
      socket.data.user = {
        id: String(user._id),
        name: user.name,
        isAdmin: Boolean(user.isAdmin),
        timeZone: user.timeZone ?? 'UTC',
      };
      socket.data.meetings = new Map();
      socket.data.commentSubscriptions = new Set();
      next();
    } catch {
      next(refusal({ code: 'internal', message: 'Could not check the session; try again' }));
    }
  };
}
