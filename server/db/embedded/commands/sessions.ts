import { createHash } from 'node:crypto';
import { Binary, type Document } from 'bson';
import { bsonTag, isPlainObject } from './bson/values.js';

/** Idle time after which a session is forgotten; hello advertises it as logicalSessionTimeoutMinutes. */
export const SESSION_TIMEOUT_MINUTES = 30;
// Past this many entries, touching a session first drops the expired ones.
const PRUNE_ABOVE = 10_000;

// Without authentication every session belongs to the same (empty) user; MongoDB's uid is the
// SHA-256 of the user name, so this is what a server without auth reports.
const NO_USER_UID = new Binary(createHash('sha256').update('').digest());

interface SessionEntry {
  id: Binary;
  lastUse: Date;
}

/**
 * The logical sessions a server has seen, as MongoDB's local session cache: a session is
 * recorded by any command carrying its `lsid`, forgotten on endSessions/killSessions or after
 * {@link SESSION_TIMEOUT_MINUTES} idle. `$listLocalSessions` reads it.
 */
export class SessionRegistry {
  private readonly sessions = new Map<string, SessionEntry>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Records use of the session an `lsid` field names; ignores anything that is not one. */
  touch(lsid: unknown): void {
    const id = sessionId(lsid);
    if (!id) return;
    if (this.sessions.size > PRUNE_ABOVE) this.prune();
    this.sessions.set(id.toString('hex'), { id, lastUse: new Date(this.now()) });
  }

  /** Forgets the sessions given as `[{id}]` (endSessions, killSessions). */
  end(lsids: unknown): void {
    if (!Array.isArray(lsids)) return;
    for (const lsid of lsids) {
      const id = sessionId(lsid);
      if (id) this.sessions.delete(id.toString('hex'));
    }
  }

  /** Forgets every session (killAllSessions). */
  clear(): void {
    this.sessions.clear();
  }

  /** The live sessions as `$listLocalSessions` reports them, least recently used first. */
  list(): Document[] {
    this.prune();
    return [...this.sessions.values()]
      .sort((a, b) => a.lastUse.getTime() - b.lastUse.getTime())
      .map((s) => ({ _id: { id: s.id, uid: NO_USER_UID }, lastUse: s.lastUse }));
  }

  private prune(): void {
    const oldest = this.now() - SESSION_TIMEOUT_MINUTES * 60_000;
    for (const [key, entry] of this.sessions) if (entry.lastUse.getTime() < oldest) this.sessions.delete(key);
  }
}

// By tag, not instanceof: a UUID may come from another copy of bson (the driver's CJS build).
function sessionId(lsid: unknown): Binary | undefined {
  const id = isPlainObject(lsid) ? lsid.id : undefined;
  return bsonTag(id) === 'Binary' && (id as Binary).sub_type === Binary.SUBTYPE_UUID ? (id as Binary) : undefined;
}
