import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { loadConfig } from '../../server/config.js';
import { startGodo, type RunningGodo } from '../../server/index.js';

/**
 * Starts Godo on port 0 with a fresh database: the embedded server in memory, or a uniquely
 * named database on TEST_MONGODB_URI when that is set (the same tests then check a real MongoDB).
 */
export async function startTestGodo(
  options: { clock?: () => Date; env?: Record<string, string>; clientDir?: string } = {},
): Promise<RunningGodo> {
  const realMongo = process.env.TEST_MONGODB_URI;
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    GODO_DB_WORKER: 'false',
    GODO_SEED_DEMO: 'false',
    // Test files share a process with the runner: its threads keep their priority (tested on its own).
    GODO_BACKGROUND_NICE: '0',
    ...(realMongo ? { MONGODB_URI: withDatabase(realMongo, `godo_test_${randomBytes(6).toString('hex')}`) } : {}),
    ...options.env,
  });
  return startGodo(config, { inMemoryDb: true, logger: pino({ level: 'silent' }), clock: options.clock, clientDir: options.clientDir });
}

function withDatabase(uri: string, dbName: string): string {
  const url = new URL(uri);
  url.pathname = `/${dbName}`;
  return url.toString();
}
