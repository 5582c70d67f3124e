import type { Logger } from '../../logger.js';
import { isDatabaseUnreachable, onDatabaseReconnected } from '../../db/dbHealth.js';
import type { Models } from '../../models/index.js';
import { recordAudit, type AuditInput } from '../audit/recordAudit.js';

type AuditLogger = Pick<Logger, 'error' | 'info'>;

interface Held {
  entry: AuditInput;
  logger: AuditLogger;
}

/** Entries held per database connection's models, and the stop function of their one `reconnected` listener. */
const heldBy = new WeakMap<Models, { entries: Held[]; stop: () => void }>();

/** Whether `entry` is in the log already: a write whose answer was lost may have been stored (`at` is the command's own instant). */
async function alreadyRecorded(models: Models, entry: AuditInput): Promise<boolean> {
  const { callId, proposalId = null, actorId, action, at } = entry;
  return (await models.Audit.exists({ callId, proposalId, actorId, action, at })) !== null;
}

/** Writes the held entries; those the database still cannot take wait for its next return. */
async function writeHeld(models: Models): Promise<void> {
  const held = heldBy.get(models);
  if (!held) return;
  const entries = held.entries.splice(0);
  for (const item of entries) {
    try {
      if (!(await alreadyRecorded(models, item.entry))) await recordAudit(models, item.entry);
      item.logger.info({ audit: item.entry }, 'audit: entry held during the database outage written');
    } catch (error) {
      if (isDatabaseUnreachable(error)) held.entries.push(item);
      else item.logger.error({ err: error, audit: item.entry }, 'audit: entry held during the database outage could not be written');
    }
  }
  if (held.entries.length === 0 && heldBy.get(models) === held) {
    held.stop();
    heldBy.delete(models);
  }
}

/**
 * The audit entry of a change that is already stored and in force. Like every command, the entry
 * is written right after the write and awaited. When the database cannot be reached for it, though,
 * the change still stands and is answered as done: failing the request would tell the client that
 * nothing happened, and sending it again would not write the entry either (for a declared conflict,
 * the retry answers 404: the declarer is conflicted with the proposal now; for a ruling, 409 as
 * stale). So the entry is not dropped: it is logged in full at error level and held in memory, and
 * written once the database is reachable again (Mongoose's `reconnected`, as for held report edits
 * and access re-checks).
 * Resolves with whether it was written now. As for any audit entry, a process that dies before the
 * database returns loses it (recordAudit.ts); the error line says what it was.
 * @throws what the write threw when the database refused it (not unreachable): a programming error.
 */
export async function recordAuditOfStoredChange(models: Models, entry: AuditInput, logger: AuditLogger): Promise<boolean> {
  try {
    await recordAudit(models, entry);
    return true;
  } catch (error) {
    if (!isDatabaseUnreachable(error)) throw error;
    logger.error({ err: error, audit: entry }, 'audit: the change is stored but its audit entry could not be written; holding it until the database is back');
    let held = heldBy.get(models);
    if (!held) {
      const created: { entries: Held[]; stop: () => void } = { entries: [], stop: () => undefined };
      created.stop = onDatabaseReconnected(models, () => void writeHeld(models));
      heldBy.set(models, created);
      held = created;
    }
    held.entries.push({ entry, logger });
    return false;
  }
}
