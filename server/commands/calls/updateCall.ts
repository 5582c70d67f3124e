import { CallCreateSchema, type CallCreateInput, type CallUpdateInput } from '../../../shared/schemas/call.js';
import { ConflictError } from '../../errors.js';
import { authorize } from '../../policies/authorize.js';
import { loadCallAccess } from '../access/loadAccess.js';
import { recordAudit } from '../audit/recordAudit.js';
import { parseOrThrow } from '../validation.js';
import { callInputOf } from './callInput.js';
import { getCall, type CommandContext } from './callCommands.js';

/** What changing a criterion means for reviews already written: names may be corrected, nothing else. */
function criteriaShape(criteria: CallCreateInput['criteria']): string {
  const rows = criteria.map((c) => [c.key, c.scale, c.halfMarks, c.weight, c.threshold] as const);
  return JSON.stringify(rows.sort((a, b) => a[0].localeCompare(b[0])));
}

/**
 * Updates a call's setup. Optimistic: the write matches the `version` the editor saw. The PATCH is
 * merged onto the stored call and the whole result re-validated with `CallCreateSchema`, so rules
 * spanning fields (agency count for the programme, one scale direction) hold after every edit.
 * Once any review exists, criteria may only be renamed (keys, scales, half marks, weights and
 * thresholds are what the scores mean). An agency still used by a member, a pending invitation
 * or a proposal's PI cannot be removed.
 * @throws NotFoundError, ForbiddenError, ValidationError, ConflictError (`version_conflict`,
 *   `criteria_locked`, `agency_in_use`).
 */
export async function updateCall(ctx: CommandContext, callId: string, input: CallUpdateInput & { version: number }) {
  const { access, call } = await loadCallAccess(ctx.models, ctx.user, callId);
  authorize(access, 'call:update');
  if (input.version !== (call.version ?? 0)) throw new ConflictError();
  const { version, ...patch } = input;
  const before = callInputOf(call);
  const after = parseOrThrow(CallCreateSchema, { ...before, ...patch }, 'The call would not be valid after this change');

  if (patch.criteria && criteriaShape(before.criteria) !== criteriaShape(after.criteria)) {
    if (await ctx.models.Review.exists({ callId: call._id })) {
      throw new ConflictError('Reviews exist: criteria can be renamed but not changed', 'criteria_locked');
    }
  }
  const kept = new Set(after.agencies.map((agency) => agency.code));
  const removed = before.agencies.map((agency) => agency.code).filter((code) => !kept.has(code));
  if (removed.length > 0) {
    const [member, invitation, proposal] = await Promise.all([
      ctx.models.Membership.exists({ callId: call._id, agency: { $in: removed } }),
      ctx.models.Invitation.exists({ callId: call._id, agency: { $in: removed }, usedAt: null }),
      ctx.models.Proposal.exists({ callId: call._id, 'pis.agency': { $in: removed } }),
    ]);
    if (member || invitation || proposal) {
      throw new ConflictError(`${removed.join(', ')} still has members, invitations or proposals in this call`, 'agency_in_use');
    }
  }

  const changed = (Object.keys(patch) as (keyof CallCreateInput)[]).filter(
    (key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]),
  );
  const updated = await ctx.models.Call.findOneAndUpdate(
    { _id: call._id, version },
    { $set: after, $inc: { version: 1 } },
    { returnDocument: 'after' },
  ).lean();
  if (!updated) throw new ConflictError();
  await recordAudit(ctx.models, {
    callId: call._id,
    actorId: ctx.user.id,
    action: 'call.updated',
    before: Object.fromEntries(changed.map((key) => [key, before[key] ?? null])),
    after: Object.fromEntries(changed.map((key) => [key, after[key] ?? null])),
    at: ctx.now,
  });
  return getCall(ctx, callId);
}
