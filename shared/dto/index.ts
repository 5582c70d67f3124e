/**
 * Response shapes of the REST API. The request shapes are the zod-inferred types in
 * shared/schemas; these are what server/presenters return (typed with them, so a drift between
 * server and client is a compile error).
 */
export * from './account';
export * from './audit';
export * from './call';
export * from './people';
export * from './proposal';
export * from './ranking';
export * from './review';
