import { pino, type Logger } from 'pino';
import { within } from '../../collab/support/clients.js';

/** One pino record as written (JSON line parsed). */
export type LogRecord = { level: number; msg: string } & Record<string, any>;

/** A pino logger writing into memory, so a test can wait for and assert on what Godo logged. */
export interface CapturedLogs {
  logger: Logger;
  records: LogRecord[];
  /** Resolves with the first record (already written or still to come) matching `match`; rejects after `ms`. */
  waitFor(match: (record: LogRecord) => boolean, what: string, ms?: number): Promise<LogRecord>;
}

/** pino's numeric level of `warn`. */
export const WARN = 40;
/** pino's numeric level of `error`. */
export const ERROR = 50;

/** A real pino logger (at `level`) whose JSON lines are kept in memory instead of printed. */
export function capturedLogs(level: pino.Level = 'warn'): CapturedLogs {
  const records: LogRecord[] = [];
  let waiters: { match: (record: LogRecord) => boolean; resolve: (record: LogRecord) => void }[] = [];
  const stream = {
    write(line: string) {
      const record = JSON.parse(line) as LogRecord;
      records.push(record);
      waiters = waiters.filter((w) => {
        if (!w.match(record)) return true;
        w.resolve(record);
        return false;
      });
    },
  };
  return {
    logger: pino({ level }, stream),
    records,
    waitFor(match, what, ms = 30_000) {
      const found = records.find(match);
      if (found) return Promise.resolve(found);
      return within(new Promise<LogRecord>((resolve) => waiters.push({ match, resolve })), what, ms);
    },
  };
}
