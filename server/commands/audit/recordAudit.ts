import { Types } from 'mongoose';
import type { Models } from '../../models/index.js';

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

const toId = (id: string | Types.ObjectId) => (typeof id === 'string' ? new Types.ObjectId(id) : id);

/**
 * Appends one entry to the audit log. Called by commands right after their write succeeds; the
 * entry is its own single-document insert (no transaction), so the log may at worst miss an
 * entry if the process dies between the two writes, never record a change that did not happen.
 */
export async function recordAudit(models: Models, entry: AuditInput): Promise<void> {
  await models.Audit.create({
    callId: toId(entry.callId),
    proposalId: entry.proposalId ? toId(entry.proposalId) : null,
    actorId: toId(entry.actorId),
    action: entry.action,
    at: entry.at,
    before: entry.before ?? null,
    after: entry.after ?? null,
  });
}
