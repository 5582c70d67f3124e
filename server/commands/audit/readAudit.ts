import { Types } from 'mongoose';
import { authorize } from '../../policies/authorize.js';
import { presentAuditEntry } from '../../presenters/audit.js';
import type { CommandContext } from '../calls/callCommands.js';
import { conflictedProposalIds, loadCallAccess } from '../access/loadAccess.js';
import { personNames } from '../reviews/personNames.js';

/** Filters and paging of an audit read (already validated). */
export interface AuditQuery {
  action?: string;
  proposalId?: string;
  actorId?: string;
  /** ISO instants, inclusive. */
  from?: string;
  to?: string;
  limit: number;
  offset: number;
}

/**
 * `GET /calls/:id/audit`: the call's audit log, newest first, for staff. Entries about proposals
 * the reader is conflicted with are removed (asking for such a proposal gives an empty page).
 * `nextOffset` is null on the last page.
 * @throws NotFoundError (not a member), ForbiddenError (not staff).
 */
export async function readAudit(ctx: CommandContext, callId: string, query: AuditQuery) {
  const { access, call } = await loadCallAccess(ctx.models, ctx.user, callId);
  authorize(access, 'audit:read');
  const hidden = await conflictedProposalIds(ctx.models, callId, ctx.user.id);
  if (query.proposalId && hidden.has(query.proposalId)) return { entries: [], nextOffset: null };
  const filter: Record<string, unknown> = { callId: call._id };
  if (query.action) filter.action = query.action;
  if (query.actorId) filter.actorId = new Types.ObjectId(query.actorId);
  if (query.proposalId) filter.proposalId = new Types.ObjectId(query.proposalId);
  else if (hidden.size > 0) filter.proposalId = { $nin: [...hidden].map((id) => new Types.ObjectId(id)) };
  if (query.from || query.to) {
    filter.at = { ...(query.from ? { $gte: new Date(query.from) } : {}), ...(query.to ? { $lte: new Date(query.to) } : {}) };
  }
  const rows = await ctx.models.Audit.find(filter).sort({ at: -1, _id: -1 }).skip(query.offset).limit(query.limit + 1).lean();
  const page = rows.slice(0, query.limit);
  const names = await personNames(ctx.models, page.map((row) => row.actorId));
  return {
    entries: page.map((row) => presentAuditEntry(row, names)),
    nextOffset: rows.length > query.limit ? query.offset + query.limit : null,
  };
}
