import os from 'node:os';
import type { Document } from 'bson';
import { commandError } from '../errors.js';
import { GENERIC_FIELDS, type CommandSpec } from './common.js';
import type { CommandRequest, ServerContext } from './context.js';
import { SERVER_VERSION } from './handshake.js';

function serverStatus(_req: CommandRequest, ctx: ServerContext): Document {
  const uptimeMs = Date.now() - ctx.startedAt.getTime();
  const stats = ctx.storage.stats();
  return {
    host: os.hostname(),
    version: SERVER_VERSION,
    process: 'mongod',
    pid: process.pid,
    uptime: Math.floor(uptimeMs / 1000),
    uptimeMillis: uptimeMs,
    uptimeEstimate: Math.floor(uptimeMs / 1000),
    localTime: new Date(),
    connections: {
      current: ctx.counters.connectionsCurrent,
      available: 1_000_000 - ctx.counters.connectionsCurrent,
      totalCreated: ctx.counters.connectionsTotal,
      active: ctx.counters.connectionsCurrent,
    },
    opcounters: { ...ctx.counters.opcounters },
    metrics: { cursor: { open: { total: ctx.cursors.size } } },
    storageEngine: { name: 'godo', supportsCommittedReads: false, persistent: true },
    godo: { ...stats },
    mem: { bits: 64, resident: Math.round(process.memoryUsage().rss / 1048576), virtual: 0, supported: true },
    ok: 1,
  };
}

function hostInfo(): Document {
  return {
    system: {
      currentTime: new Date(),
      hostname: os.hostname(),
      cpuAddrSize: 64,
      memSizeMB: Math.round(os.totalmem() / 1048576),
      memLimitMB: Math.round(os.totalmem() / 1048576),
      numCores: os.cpus().length,
      cpuArch: os.arch(),
      numaEnabled: false,
    },
    os: { type: os.type(), name: os.platform(), version: os.release() },
    extra: {},
    ok: 1,
  };
}

const PARAMETERS: Record<string, unknown> = {
  featureCompatibilityVersion: { version: '7.0' },
  authenticationMechanisms: [],
  logLevel: 0,
  cursorTimeoutMillis: 600_000,
  transactionLifetimeLimitSeconds: 60,
  internalQueryMaxBlockingSortMemoryUsageBytes: 104_857_600,
};

/** getParameter: `'*'` or `{name: 1, ...}`; unknown names give InvalidOptions like MongoDB. */
function getParameter(req: CommandRequest): Document {
  const wanted = req.body.getParameter;
  if (wanted === '*' || (typeof wanted === 'object' && wanted !== null && (wanted as Document).allParameters)) {
    return { ...PARAMETERS, ok: 1 };
  }
  const reply: Document = {};
  for (const name of Object.keys(req.body)) {
    if (name === 'getParameter' || GENERIC_FIELDS.has(name)) continue;
    if (!(name in PARAMETERS)) throw commandError('InvalidOptions', 'no option found to get');
    reply[name] = PARAMETERS[name];
  }
  return { ...reply, ok: 1 };
}

function getLog(req: CommandRequest): Document {
  if (req.body.getLog === '*') return { names: ['global', 'startupWarnings'], ok: 1 };
  return { totalLinesWritten: 0, log: [], ok: 1 };
}

function configureFailPoint(req: CommandRequest, ctx: ServerContext): Document {
  ctx.failPoints.configure(req.body);
  return { count: 0, ok: 1 };
}

/** Introspection and test-support commands: serverStatus, hostInfo, getParameter, getLog, ... */
export const diagnosticCommands: Record<string, CommandSpec> = {
  serverStatus: { handler: serverStatus },
  hostInfo: { handler: hostInfo },
  getParameter: { handler: getParameter },
  getLog: { handler: getLog },
  getCmdLineOpts: { handler: () => ({ argv: ['mongod'], parsed: {}, ok: 1 }) },
  configureFailPoint: { handler: configureFailPoint },
  validate: {
    handler: (req) => ({ ns: `${req.db}.${String(req.target)}`, valid: true, errors: [], warnings: [], ok: 1 }),
  },
  getFreeMonitoringStatus: { handler: () => ({ state: 'disabled', ok: 1 }) },
};
