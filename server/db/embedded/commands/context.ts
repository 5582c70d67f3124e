import { BSON, type Document } from 'bson';
import type { Logger } from 'pino';
import type { StorageEngine } from '../storage/types.js';
import type { ConnectionInfo, WireCommand } from '../wire/connection.js';
import type { CursorRegistry } from './cursors.js';
import type { FailPoints } from './failPoints.js';
import type { Matcher } from './query/matcher.js';
import type { SessionRegistry } from './sessions.js';

/** Counters reported by serverStatus. */
export interface ServerCounters {
  connectionsCurrent: number;
  connectionsTotal: number;
  opcounters: { insert: number; query: number; update: number; delete: number; getmore: number; command: number };
}

/**
 * Everything one embedded server instance owns. Commands reach state only through this
 * object (there is no module-level state), so tests can run several servers side by side.
 */
export interface ServerContext {
  readonly storage: StorageEngine;
  readonly cursors: CursorRegistry;
  readonly failPoints: FailPoints;
  /** Logical sessions seen in commands' `lsid` ($listLocalSessions). */
  readonly sessions: SessionRegistry;
  readonly logger: Logger;
  readonly counters: ServerCounters;
  readonly startedAt: Date;
  /** host:port once listening (reported by explain / serverStatus). */
  address: string;
  /** Compiled collection validators, by validator document. */
  readonly validators: WeakMap<Document, Matcher>;
}

/** One command invocation: its database, body and the connection it came from. */
export class CommandRequest {
  /** The command name as sent (its first field). */
  readonly name: string;
  readonly db: string;
  private typedBody: Document | undefined;

  constructor(
    readonly wire: WireCommand,
    readonly connection: ConnectionInfo,
  ) {
    this.name = Object.keys(wire.body)[0] ?? '';
    const db = wire.legacyDb ?? wire.body.$db;
    this.db = typeof db === 'string' ? db : 'admin';
  }

  /** The body with promoted values (numbers as JS numbers) and sequences merged as arrays. */
  get body(): Document {
    return this.wire.body;
  }

  /** The command's first value, e.g. the collection name of `find`. */
  get target(): unknown {
    return this.wire.body[this.name];
  }

  /**
   * The body read again with Int32/Double/Long kept as wrappers, sequences merged; used by
   * writes so stored values keep the exact numeric types the client sent.
   */
  typed(): Document {
    if (!this.typedBody) {
      const body = BSON.deserialize(this.wire.bodyBytes, { promoteValues: false });
      for (const [identifier, docs] of this.wire.sequences) {
        const existing = body[identifier];
        const parsed = docs.map((d) => BSON.deserialize(d, { promoteValues: false }));
        body[identifier] = Array.isArray(existing) ? [...existing, ...parsed] : parsed;
      }
      this.typedBody = body;
    }
    return this.typedBody;
  }
}
