import { announceAccessChange } from '../access/accessChanges.js';
import { Types } from 'mongoose';
import type { CallCreateInput, PhaseChangeInput } from '../../../shared/schemas/call.js';
import type { Phase, Role } from '../../../shared/enums.js';
import type { Models } from '../../models/index.js';
import { authorize, allowedActions } from '../../policies/authorize.js';
import { assertTransition } from '../../domain/phases.js';
import { ConflictError, ForbiddenError } from '../../errors.js';
import { loadCallAccess, type Requester } from '../access/loadAccess.js';
import { recordAudit } from '../audit/recordAudit.js';
import { presentCall, presentCallSummary } from '../../presenters/call.js';

export interface CommandContext {
  models: Models;
  /** `name`: the display name the session read for this request, when known (saves a lookup). */
  user: Requester & { timeZone: string; name?: string };
  now: Date;
}

/** The calls the person has a role in (every call for a platform admin), with what they still have to do. */
export async function listCalls(ctx: CommandContext) {
  const userId = new Types.ObjectId(ctx.user.id);
  const memberships = await ctx.models.Membership.find({ userId }).lean();
  const roleByCall = new Map(memberships.map((m) => [String(m.callId), m.role]));
  const filter = ctx.user.isAdmin ? {} : { _id: { $in: memberships.map((m) => m.callId) } };
  const calls = await ctx.models.Call.find(filter).sort({ createdAt: -1 }).lean();
  const [assignments, reviews] = await Promise.all([
    ctx.models.Assignment.find({ reviewerId: userId }, { callId: 1, proposalId: 1, acceptedAt: 1 }).lean(),
    ctx.models.Review.find({ reviewerId: userId, status: 'submitted' }, { proposalId: 1 }).lean(),
  ]);
  const submitted = new Set(reviews.map((r) => String(r.proposalId)));
  return calls.map((call) => {
    const mine = assignments.filter((a) => String(a.callId) === String(call._id));
    const todo = {
      reviewsToSubmit: call.phase === 'review' ? mine.filter((a) => !submitted.has(String(a.proposalId))).length : 0,
      assignmentsToAccept: mine.filter((a) => !a.acceptedAt).length,
    };
    return presentCallSummary(call, { role: roleByCall.get(String(call._id)) ?? (ctx.user.isAdmin ? 'admin' : null), now: ctx.now, viewerZone: ctx.user.timeZone, todo });
  });
}

export async function getCall(ctx: CommandContext, callId: string) {
  const { access, call } = await loadCallAccess(ctx.models, ctx.user, callId);
  authorize(access, 'call:read');
  return presentCall(call, {
    role: access.membership?.role ?? (access.user.isAdmin ? 'admin' : null),
    agency: access.membership?.agency,
    allowed: allowedActions(access),
    now: ctx.now,
    viewerZone: ctx.user.timeZone,
  });
}

/** Creates a call; its creator becomes the call's admin. */
export async function createCall(ctx: CommandContext, input: CallCreateInput) {
  if (!ctx.user.isAdmin) throw new ForbiddenError('Only administrators create calls');
  const call = await ctx.models.Call.create({ ...input, phase: 'setup', createdBy: ctx.user.id, version: 0 });
  await ctx.models.Membership.create({ callId: call._id, userId: ctx.user.id, role: 'admin' });
  await recordAudit(ctx.models, { callId: call._id, actorId: ctx.user.id, action: 'call.created', after: input, at: ctx.now });
  return getCall(ctx, String(call._id));
}

/**
 * Moves the call to another phase. Optimistic: the update matches the phase and version the
 * caller saw, so two moderators clicking at once cannot skip a phase.
 * @throws DomainError phase_transition_invalid, ConflictError on a stale version.
 */
export async function changePhase(ctx: CommandContext, callId: string, input: PhaseChangeInput) {
  const { access, call } = await loadCallAccess(ctx.models, ctx.user, callId);
  authorize(access, 'call:setPhase');
  const role: Role = access.membership?.role ?? 'admin';
  assertTransition(call.phase as Phase, input.to, role);
  if (input.version !== (call.version ?? 0)) throw new ConflictError();
  const updated = await ctx.models.Call.findOneAndUpdate(
    { _id: call._id, version: call.version, phase: call.phase },
    { $set: { phase: input.to }, $inc: { version: 1 } },
    { returnDocument: 'after' },
  ).lean();
  if (!updated) throw new ConflictError();
  // In force from here on: live connections are told before anything else can fail (a lost audit insert included).
  announceAccessChange({ callId: String(call._id) });
  await recordAudit(ctx.models, {
    callId: call._id,
    actorId: ctx.user.id,
    action: 'phase.changed',
    before: { phase: call.phase },
    after: { phase: input.to, reason: input.reason ?? null },
    at: ctx.now,
  });
  return getCall(ctx, callId);
}
