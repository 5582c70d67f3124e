import type { AuditEntryDto } from '../../shared/dto/audit.js';

/** An audit entry as read with `.lean()`. */
export interface AuditDoc {
  _id: unknown;
  action: string;
  at: Date;
  actorId: unknown;
  proposalId?: unknown;
  before?: unknown;
  after?: unknown;
}

/** An audit entry as the API shows it: who (with name), when, what, and the before/after values. */
export function presentAuditEntry(entry: AuditDoc, names: ReadonlyMap<string, string>): AuditEntryDto {
  const actorId = String(entry.actorId);
  return {
    id: String(entry._id),
    action: entry.action,
    at: entry.at.toISOString(),
    actor: { id: actorId, name: names.get(actorId) ?? '' },
    proposalId: entry.proposalId ? String(entry.proposalId) : null,
    before: entry.before ?? null,
    after: entry.after ?? null,
  };
}
export type { AuditEntryDto };
