import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { startEmbeddedServer } from './server.js';

/**
 * `npm run db -- --port 27017 --dbpath DIR [--host 127.0.0.1] [--inMemory]`: runs the
 * embedded server on its own until SIGINT/SIGTERM, then flushes and exits.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '27017' },
      host: { type: 'string', default: '127.0.0.1' },
      dbpath: { type: 'string' },
      inMemory: { type: 'boolean', default: false },
      logLevel: { type: 'string', default: 'info' },
    },
  });
  const logger = pino({ level: values.logLevel });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid --port ${values.port}`);
  if (!values.dbpath && !values.inMemory) throw new Error('give --dbpath DIR (or --inMemory for a throwaway database)');
  const server = await startEmbeddedServer({ port, host: values.host, dbpath: values.inMemory ? null : (values.dbpath ?? null), logger });
  logger.info({ uri: server.uri, dbpath: values.dbpath ?? '(memory)' }, 'embedded MongoDB-compatible server listening');
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  pino().fatal({ err }, 'embedded server failed to start');
  process.exit(1);
});
