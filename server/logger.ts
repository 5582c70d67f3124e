import { pino, type Logger } from 'pino';
import type { Config } from './config.js';

/** One JSON line per event; pretty-printed in development unless LOG_PRETTY=false. */
export function createLogger(config: Pick<Config, 'LOG_LEVEL' | 'LOG_PRETTY' | 'NODE_ENV'>): Logger {
  const pretty = config.LOG_PRETTY ?? config.NODE_ENV === 'development';
  return pino({
    level: config.LOG_LEVEL,
    base: { app: 'godo' },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { colorize: true } } } : {}),
  });
}

export type { Logger };
