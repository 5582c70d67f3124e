/**
 * Response shapes of the REST API, as server/presenters/*.ts build them. The request shapes are
 * the zod-inferred types in shared/schemas; the responses are not in shared/ yet, so they are
 * written out here (keep in step with the presenters).
 */
export * from './callDto';
export * from './reviewDto';
