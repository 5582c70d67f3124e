/** Base class of every error the API reports: an HTTP status and a stable snake_case code the client translates. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = new.target.name;
  }

  toBody(): { error: { code: string; message: string; fields?: Record<string, string> } } {
    return { error: { code: this.code, message: this.message, ...(this.fields ? { fields: this.fields } : {}) } };
  }
}

export class ValidationError extends AppError {
  constructor(message: string, fields?: Record<string, string>) {
    super(400, 'validation_failed', message, fields);
  }
}
export class UnauthenticatedError extends AppError {
  constructor(message = 'Sign in first') {
    super(401, 'unauthenticated', message);
  }
}
export class ForbiddenError extends AppError {
  constructor(message = 'You may not do that') {
    super(403, 'forbidden', message);
  }
}
export class NotFoundError extends AppError {
  constructor(message = 'Not found') {
    super(404, 'not_found', message);
  }
}
export class ConflictError extends AppError {
  constructor(message = 'Someone else changed this first; reload and try again', code = 'version_conflict') {
    super(409, code, message);
  }
}
export class PayloadTooLargeError extends AppError {
  constructor(message = 'Request body too large') {
    super(413, 'payload_too_large', message);
  }
}
export class RateLimitedError extends AppError {
  constructor(message = 'Too many attempts; wait and try again') {
    super(429, 'rate_limited', message);
  }
}
export class ServiceUnavailableError extends AppError {
  constructor(message = 'Service temporarily unavailable') {
    super(503, 'unavailable', message);
  }
}

/** HTTP status for each domain rule code (anything not listed is a 400: the request broke a rule). */
const DOMAIN_STATUS: Record<string, number> = {
  unauthenticated: 401,
  forbidden: 403,
  conflict_of_interest: 409,
  not_found: 404,
  version_conflict: 409,
  phase_closed: 409,
  phase_transition_invalid: 409,
  signoff_stale: 409,
  rate_limited: 429,
};

/** Maps a domain rule violation (server/domain's DomainError) to the API's error. */
export function fromDomainError(error: { code: string; message: string; fields?: Readonly<Record<string, string>> }): AppError {
  return new AppError(DOMAIN_STATUS[error.code] ?? 400, error.code, error.message, error.fields ? { ...error.fields } : undefined);
}
