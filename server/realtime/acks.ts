import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Ack, ClientEventName, RealtimeError, RealtimeErrorCode } from '../../shared/realtime/events.js';
import { DomainError } from '../domain/domainError.js';
import { AppError } from '../errors.js';
import { DatabaseUnavailableError, isDatabaseUnreachable } from '../db/dbHealth.js';
import type { GodoSocket } from './types.js';

type Listener = (...args: unknown[]) => void;

/** Field paths to messages, as the REST API reports them. */
function issueFields(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.map(String).join('.') : '(payload)';
    fields[key] ??= issue.message;
  }
  return fields;
}

/** Turns anything a handler threw into the error half of an acknowledgement; unexpected errors are logged, not leaked. */
export function toRealtimeError(error: unknown, logger: Logger): RealtimeError {
  if (isDatabaseUnreachable(error)) error = new DatabaseUnavailableError();
  if (error instanceof AppError || error instanceof DomainError) {
    return { code: error.code as RealtimeErrorCode, message: error.message, ...(error.fields ? { fields: { ...error.fields } } : {}) };
  }
  logger.error({ err: error }, 'realtime handler failed');
  return { code: 'internal', message: 'Something went wrong on our side' };
}

/**
 * A socket listener that validates its payload with `schema`, runs `run` and acknowledges
 * `{ok: true, ...result}` or `{ok: false, error}`. An invalid payload never reaches `run`; without
 * an acknowledgement callback, failures are simply dropped. Nothing it does can throw into
 * Socket.IO, so no client can take the server down.
 */
export function handler<S extends z.ZodType, R extends object>(
  logger: Logger,
  schema: S,
  run: (input: z.infer<S>) => Promise<R>,
): Listener {
  return (...args) => {
    const last = args[args.length - 1];
    const ack = typeof last === 'function' ? (last as (response: Ack<R>) => void) : undefined;
    const respond = (response: Ack<R>) => {
      try {
        ack?.(response);
      } catch (error) {
        logger.warn({ err: error }, 'acknowledgement failed');
      }
    };
    const parsed = schema.safeParse(ack && args.length === 1 ? undefined : args[0]);
    if (!parsed.success) {
      respond({ ok: false, error: { code: 'validation_failed', message: 'The payload is not valid', fields: issueFields(parsed.error) } });
      return;
    }
    let pending: Promise<R>;
    try {
      pending = run(parsed.data);
    } catch (error) {
      pending = Promise.reject(error);
    }
    pending.then(
      (result) => respond({ ok: true, ...result }),
      (error) => respond({ ok: false, error: toRealtimeError(error, logger) }),
    );
  };
}

/** Registers a listener for a client event (the typed map declares the client's view; payloads arrive unvalidated). */
export function listen(socket: GodoSocket, event: ClientEventName, listener: Listener): void {
  (socket as unknown as { on(event: string, listener: Listener): void }).on(event, listener);
}
