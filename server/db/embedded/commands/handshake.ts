import os from 'node:os';
import { UUID, type Document } from 'bson';
import { MAX_BSON_OBJECT_SIZE, MAX_MESSAGE_SIZE_BYTES, MAX_WRITE_BATCH_SIZE } from '../wire/protocol.js';
import type { CommandSpec } from './common.js';
import type { CommandRequest, ServerContext } from './context.js';
import { SESSION_TIMEOUT_MINUTES } from './sessions.js';

/** The MongoDB release the embedded server impersonates, and its wire version. */
export const SERVER_VERSION = '7.0.0';
export const MAX_WIRE_VERSION = 21;

/** hello / isMaster: a standalone, writable MongoDB 7.0 without compression or auth. */
function hello(req: CommandRequest, ctx: ServerContext): Document {
  const reply: Document = {};
  // Drivers only switch to `hello` for monitoring when the server acknowledges helloOk.
  if (req.body.helloOk === true) reply.helloOk = true;
  const legacy = req.name.toLowerCase() === 'ismaster';
  Object.assign(reply, {
    // No topologyVersion: without it drivers poll instead of using streaming (exhaust) hello.
    ...(legacy ? { ismaster: true } : { isWritablePrimary: true }),
    maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
    maxMessageSizeBytes: MAX_MESSAGE_SIZE_BYTES,
    maxWriteBatchSize: MAX_WRITE_BATCH_SIZE,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: SESSION_TIMEOUT_MINUTES,
    connectionId: req.connection.id,
    minWireVersion: 0,
    maxWireVersion: MAX_WIRE_VERSION,
    readOnly: false,
    ok: 1,
  });
  return reply;
}

function buildInfo(): Document {
  return {
    version: SERVER_VERSION,
    gitVersion: 'godo-embedded',
    modules: [],
    allocator: 'system',
    javascriptEngine: 'none',
    sysInfo: 'deprecated',
    versionArray: [7, 0, 0, 0],
    bits: 64,
    debug: false,
    maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
    storageEngines: ['godo'],
    openssl: { running: 'disabled', compiled: 'disabled' },
    buildEnvironment: { target_os: os.platform(), target_arch: os.arch() },
    ok: 1,
  };
}

function connectionStatus(req: CommandRequest): Document {
  const info: Document = { authenticatedUsers: [], authenticatedUserRoles: [] };
  if (req.body.showPrivileges) info.authenticatedUserPrivileges = [];
  return { authInfo: info, ok: 1 };
}

const ok = (): Document => ({ ok: 1 });

/** endSessions / killSessions: the listed sessions leave the session cache. */
function forgetSessions(req: CommandRequest, ctx: ServerContext): Document {
  ctx.sessions.end(req.target);
  return { ok: 1 };
}

function forgetAllSessions(_req: CommandRequest, ctx: ServerContext): Document {
  ctx.sessions.clear();
  return { ok: 1 };
}

/** Handshake, liveness and session commands the driver, Mongoose and mongosh send. */
export const handshakeCommands: Record<string, CommandSpec> = {
  hello: { handler: hello },
  isMaster: { handler: hello },
  ping: { handler: ok },
  buildInfo: { handler: buildInfo },
  connectionStatus: { handler: connectionStatus },
  whatsmyuri: { handler: (req) => ({ you: req.connection.remoteAddress, ok: 1 }) },
  endSessions: { handler: forgetSessions },
  killSessions: { handler: forgetSessions },
  killAllSessions: { handler: forgetAllSessions },
  killAllSessionsByPattern: { handler: ok },
  refreshSessions: { handler: ok },
  startSession: { handler: () => ({ id: { id: new UUID() }, timeoutMinutes: SESSION_TIMEOUT_MINUTES, ok: 1 }) },
  logout: { handler: ok },
  getDefaultRWConcern: {
    handler: () => ({
      defaultReadConcern: { level: 'local' },
      defaultWriteConcern: { w: 1, wtimeout: 0 },
      defaultReadConcernSource: 'implicit',
      defaultWriteConcernSource: 'implicit',
      ok: 1,
    }),
  },
};
