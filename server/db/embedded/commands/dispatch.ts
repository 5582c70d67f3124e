import type { Document } from 'bson';
import { CommandError, commandError } from '../errors.js';
import type { ConnectionInfo, WireCommand } from '../wire/connection.js';
import { CloseConnection, MAX_BSON_OBJECT_SIZE } from '../wire/protocol.js';
import { aggregateCommands } from './aggregate.js';
import { collectionCommands } from './collections.js';
import type { CommandSpec } from './common.js';
import { CommandRequest, type ServerContext } from './context.js';
import { countCommands } from './count.js';
import { databaseCommands } from './databases.js';
import { deleteCommands } from './delete.js';
import { diagnosticCommands } from './diagnostics.js';
import { explainCommands } from './explain.js';
import { findAndModifyCommands } from './findAndModify.js';
import { findCommands } from './find.js';
import { handshakeCommands } from './handshake.js';
import { indexCommands } from './indexes.js';
import { insertCommands } from './insert.js';
import { locationError } from './locationError.js';
import { updateCommands } from './update.js';

/** Every command by its canonical name. */
export const COMMANDS: Record<string, CommandSpec> = {
  ...handshakeCommands,
  ...diagnosticCommands,
  ...databaseCommands,
  ...collectionCommands,
  ...insertCommands,
  ...findCommands,
  ...updateCommands,
  ...deleteCommands,
  ...findAndModifyCommands,
  ...countCommands,
  ...aggregateCommands,
  ...indexCommands,
  ...explainCommands,
  listCommands: {
    handler: () => ({ commands: Object.fromEntries(Object.keys(COMMANDS).map((name) => [name, { help: '' }])), ok: 1 }),
  },
};

// MongoDB command names are case-sensitive; these lower-case spellings are registered aliases.
const ALIASES: Record<string, string> = {
  ismaster: 'isMaster',
  findandmodify: 'findAndModify',
  buildinfo: 'buildInfo',
};

/** The spec for a command name as MongoDB resolves it, or undefined. */
export function lookupCommand(name: string): CommandSpec | undefined {
  return Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : Object.hasOwn(ALIASES, name) ? COMMANDS[ALIASES[name]] : undefined;
}

const TRANSACTION_FIELDS = ['txnNumber', 'startTransaction', 'autocommit'];

function failCommandReply(code: number, labels: string[] | undefined): Document {
  const reply: Document = { ok: 0, errmsg: "Failing command via 'failCommand' failpoint", code };
  if (labels) reply.errorLabels = labels;
  return reply;
}

async function flushAfterWrite(ctx: ServerContext, unacknowledged: boolean): Promise<void> {
  if (!unacknowledged) return ctx.storage.flush();
  ctx.storage.flush().catch((err: unknown) => ctx.logger.error({ err }, 'flush after unacknowledged write failed'));
}

/**
 * Runs one command for a connection and returns its reply. Never throws for command
 * errors (they become `ok: 0` replies); throws CloseConnection only when a fail point asks
 * for the connection to be dropped. Write commands wait for storage.flush() unless the
 * client asked for no reply.
 */
export async function runCommand(ctx: ServerContext, wire: WireCommand, connection: ConnectionInfo): Promise<Document | Buffer> {
  const req = new CommandRequest(wire, connection);
  try {
    if (wire.legacyDb === undefined && typeof wire.body.$db !== 'string') {
      throw locationError(40571, 'OP_MSG requests require a $db argument');
    }
    // MongoDB allows a command body 16 KiB of envelope beyond the document limit.
    if (wire.bodyBytes.length > MAX_BSON_OBJECT_SIZE + 16 * 1024) {
      throw commandError('BSONObjectTooLarge', `BSONObj size: ${wire.bodyBytes.length} is invalid. Size must be between 0 and ${MAX_BSON_OBJECT_SIZE}(16MB)`);
    }
    const spec = lookupCommand(req.name);
    if (!spec) throw commandError('CommandNotFound', `no such command: '${req.name}'`);
    ctx.sessions.touch(wire.body.lsid);
    if (TRANSACTION_FIELDS.some((f) => wire.body[f] !== undefined)) {
      throw commandError('IllegalOperation', 'Transaction numbers are only allowed on a replica set member or mongos');
    }
    const fail = ctx.failPoints.take(req.name);
    if (fail?.blockTimeMS) await new Promise((resolve) => setTimeout(resolve, fail.blockTimeMS));
    if (fail?.closeConnection) throw new CloseConnection('failCommand fail point closed the connection');
    if (fail?.errorCode !== undefined) return failCommandReply(fail.errorCode, fail.errorLabels);
    const writes = typeof spec.write === 'function' ? spec.write(req) : spec.write === true;
    let reply: Document | Buffer;
    try {
      reply = await spec.handler(req, ctx);
    } finally {
      // Also after a failed write: earlier statements of the batch may have been applied.
      if (writes) await flushAfterWrite(ctx, wire.moreToCome);
    }
    if (fail?.writeConcernError && !Buffer.isBuffer(reply)) return { ...reply, writeConcernError: fail.writeConcernError };
    return reply;
  } catch (err) {
    if (err instanceof CloseConnection) throw err;
    if (err instanceof CommandError) return err.toReply();
    ctx.logger.error({ err, command: req.name }, 'command failed unexpectedly');
    const message = err instanceof Error ? err.message : String(err);
    return commandError('InternalError', message).toReply();
  }
}
