/** All API resource schemas, one module per resource. */
export * from './common';
export * from './apiError';
export * from './auth';
export * from './call';
export * from './proposal';
export * from './person';
export * from './invitation';
export * from './conflict';
export * from './assignment';
export * from './review';
export * from './consensus';
export * from './ranking';
export * from './decision';
