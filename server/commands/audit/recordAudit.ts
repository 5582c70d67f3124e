import { Types } from 'mongoose';
import { isDatabaseUnreachable, onDatabaseReconnected } from '../../db/dbHealth.js';
import type { Logger } from '../../logger.js';
import type { Models } from '../../models/index.js';
import { isDuplicateKey } from '../access/ids.js';

export interface AuditInput {
  callId: string | Types.ObjectId;
  proposalId?: string | Types.ObjectId | null;
  actorId: string | Types.ObjectId;
  /** `resource.verb`, e.g. `review.submitted`, `phase.changed`, `signoff.voided`. */
  action: string;
  before?: unknown;
  after?: unknown;
  at: Date;
}

type AuditLogger = Pick<Logger, 'error' | 'info'>;

/** An entry with the id it is (or will be) stored under: the id makes a second write of it a no-op. */
interface Identified {
  id: Types.ObjectId;
  entry: AuditInput;
}

const toId = (id: string | Types.ObjectId) => (typeof id === 'string' ? new Types.ObjectId(id) : id);

/** Who hears about held entries, per database connection's models (set once at start-up: useAuditLogger). */
const loggerOf = new WeakMap<Models, AuditLogger>();

/**
 * Entries held per database connection's models, the stop function of their one `reconnected`
 * listener, and the chain of write attempts (one at a time, so shutdown can wait for the last).
 */
interface Held {
  entries: Identified[];
  stop: () => void;
  writing: Promise<void>;
}
const heldBy = new WeakMap<Models, Held>();

/**
 * Gives the audit log of `models` a logger, and with it the means to hold an entry the database
 * cannot take (recordAudit). Called once where the server is wired (server/index.ts); without it
 * (scripts, tests over bare models) such an entry's error is thrown as it was.
 */
export function useAuditLogger(models: Models, logger: AuditLogger): void {
  loggerOf.set(models, logger);
}

/**
 * One insert under the entry's own id. An insert whose answer was lost with the database may have
 * been stored: written again, it hits the `_id` index, which means it is there already.
 */
async function insert(models: Models, { id, entry }: Identified): Promise<void> {
  try {
    await models.Audit.create({
      _id: id,
      callId: toId(entry.callId),
      proposalId: entry.proposalId ? toId(entry.proposalId) : null,
      actorId: toId(entry.actorId),
      action: entry.action,
      at: entry.at,
      before: entry.before ?? null,
      after: entry.after ?? null,
    });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
}

const logged = ({ id, entry }: Identified) => ({ ...entry, id: String(id) });

/**
 * Writes the held entries in order; at the first the database still cannot take, that one and
 * the rest wait for its next return (each would wait out server selection in vain).
 */
async function writeHeldNow(models: Models, held: Held, logger: AuditLogger): Promise<void> {
  const entries = held.entries.splice(0);
  for (const [index, item] of entries.entries()) {
    try {
      await insert(models, item);
      logger.info({ audit: logged(item) }, 'audit: entry held during the database outage written');
    } catch (error) {
      if (isDatabaseUnreachable(error)) {
        held.entries.unshift(...entries.slice(index));
        return;
      }
      logger.error({ err: error, audit: logged(item) }, 'audit: entry held during the database outage could not be written');
    }
  }
  if (held.entries.length === 0 && heldBy.get(models) === held) {
    held.stop();
    heldBy.delete(models);
  }
}

/** Queues a write attempt after any in flight (a second `reconnected` meanwhile must not write an entry twice). */
function writeHeld(models: Models, held: Held, logger: AuditLogger): Promise<void> {
  held.writing = held.writing
    .then(() => writeHeldNow(models, held, logger))
    .catch((error: unknown) => logger.error({ err: error }, 'audit: writing held entries failed'));
  return held.writing;
}

/**
 * At shutdown, before the database connection closes: waits for a write of held entries in
 * flight, tries those left once more, and logs each the database still cannot take as lost, in
 * full at error level (the process will not be there when the database returns). Resolves with
 * how many were lost. Later entries are held as before (a command still finishing).
 */
export async function flushHeldAudit(models: Models): Promise<number> {
  const held = heldBy.get(models);
  const logger = loggerOf.get(models);
  if (!held || !logger) return 0;
  await writeHeld(models, held, logger);
  const lost = held.entries.splice(0);
  for (const item of lost) logger.error({ audit: logged(item) }, AUDIT_LOST);
  if (heldBy.get(models) === held) {
    held.stop();
    heldBy.delete(models);
  }
  return lost.length;
}

/** The line of an entry lost at shutdown (a constant: operators search for it). */
export const AUDIT_LOST = 'audit: stopping while the database cannot take a held audit entry; it is lost, and this line has it in full';

/**
 * Appends one entry to the audit log. Called by commands right after their write succeeds; the
 * entry is its own single-document insert (no transaction), so the log never records a change that
 * did not happen.
 *
 * When the database cannot be reached for it, the change it records is stored and in force all
 * the same, and sending the request again would not write the entry either (the retry usually
 * finds the change made: 404 or 409). So the entry is not dropped and the command is not failed
 * here: the entry is logged in full at error level, held in memory and written once the database
 * is reachable again (Mongoose's `reconnected`, as for held report edits and access re-checks),
 * exactly once. A process stopping before then tries once more (flushHeldAudit) and logs what is
 * still held as lost; one that dies loses it. Either way the error line says what it was.
 * Resolves with whether it was written now. Whatever the command does after it may still fail
 * with the database (503, whose message says the change may have been stored).
 * @throws what the insert threw when the database refused it (not unreachable): a programming
 *   error; and, for models without a logger (useAuditLogger), the unreachable database's error.
 */
export async function recordAudit(models: Models, entry: AuditInput): Promise<boolean> {
  const item = { id: new Types.ObjectId(), entry };
  try {
    await insert(models, item);
    return true;
  } catch (error) {
    const logger = loggerOf.get(models);
    if (!logger || !isDatabaseUnreachable(error)) throw error;
    logger.error({ err: error, audit: logged(item) }, 'audit: the change is stored but its audit entry could not be written; holding it until the database is back');
    let held = heldBy.get(models);
    if (!held) {
      const created: Held = { entries: [], stop: () => undefined, writing: Promise.resolve() };
      created.stop = onDatabaseReconnected(models, () => void writeHeld(models, created, logger));
      heldBy.set(models, created);
      held = created;
    }
    held.entries.push(item);
    return false;
  }
}
