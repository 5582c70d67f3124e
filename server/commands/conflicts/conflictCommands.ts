import { announceAccessChange } from '../access/accessChanges.js';
import { Types } from 'mongoose';
import type { ConflictDeclareInput, ConflictResolveInput } from '../../../shared/schemas/conflict.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../errors.js';
import type { Models } from '../../models/index.js';
import { presentConflict, type ConflictDoc } from '../../presenters/conflict.js';
import { authorize, can } from '../../policies/authorize.js';
import { conflictedProposalIds, loadCallAccess, loadProposalAccess } from '../access/loadAccess.js';
import { isDuplicateKey, parseId } from '../access/ids.js';
import type { CommandContext } from '../calls/callCommands.js';
import { recordAudit } from '../audit/recordAudit.js';

const snapshot = (c: ConflictDoc | null) => (c ? { type: c.type, status: c.status, source: c.source, note: c.note ?? null } : null);

/** Conflicts with the proposal names and people they concern, in two queries. */
async function presentMany(models: Models, conflicts: ConflictDoc[]) {
  const [proposals, people] = await Promise.all([
    models.Proposal.find({ _id: { $in: [...new Set(conflicts.map((c) => String(c.proposalId)))] } }, { ref: 1, title: 1 }).lean(),
    models.User.find({ _id: { $in: [...new Set(conflicts.map((c) => String(c.userId)))] } }, { name: 1, email: 1, institution: 1 }).lean(),
  ]);
  const proposalBy = new Map(proposals.map((p) => [String(p._id), p]));
  const personBy = new Map(people.map((u) => [String(u._id), u]));
  return conflicts.map((conflict) =>
    presentConflict(conflict, {
      proposal: proposalBy.get(String(conflict.proposalId)) ?? null,
      person: personBy.get(String(conflict.userId)) ?? null,
    }),
  );
}

/**
 * The requester declares their own conflict with a proposal; it stands confirmed at once. A
 * dismissed automatic proposal for the same pair is turned into the declared conflict.
 * Answered from the write itself: what the presentation needs (the proposal, the requester) is read
 * before it, so a database lost right after the write cannot turn a stored declaration into an error.
 * @throws NotFoundError (no such proposal, not a member, already conflicted), ForbiddenError (observer).
 */
export async function declareConflict(ctx: CommandContext, input: ConflictDeclareInput) {
  const userId = new Types.ObjectId(ctx.user.id);
  const [{ access, proposal }, person] = await Promise.all([
    loadProposalAccess(ctx.models, ctx.user, input.proposalId),
    ctx.models.User.findById(userId, { name: 1, email: 1, institution: 1 }).lean(),
  ]);
  authorize(access, 'conflict:declare');
  const fields = { type: input.type, status: 'confirmed', source: 'declared' as const, note: input.note ?? null, decidedBy: null };
  let before: ConflictDoc | null = null;
  let after: ConflictDoc | null = null;
  // Create, or take over the pair's existing record at the version read; a concurrent writer makes us read again.
  for (let attempt = 0; !after && attempt < 3; attempt++) {
    before = await ctx.models.Conflict.findOne({ proposalId: proposal._id, userId }).lean();
    try {
      after = before
        ? await ctx.models.Conflict.findOneAndUpdate(
            { _id: before._id, version: before.version ?? 0 },
            { $set: fields, $inc: { version: 1 } },
            { returnDocument: 'after' },
          ).lean()
        : (await ctx.models.Conflict.create({ ...fields, callId: proposal.callId, proposalId: proposal._id, userId, version: 0 })).toObject();
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }
  if (!after) throw new ConflictError();
  // Stored and in force for every new read from here on; live connections are told at once, before
  // anything else can fail, so an audit write lost with the database does not leave them open.
  announceAccessChange({ callId: String(proposal.callId), proposalId: String(proposal._id), userId: ctx.user.id });
  // The declaration is answered as done even when its audit entry cannot be written now: that
  // entry is held and written when the database is back (recordAudit.ts says why).
  await recordAudit(ctx.models, {
    callId: proposal.callId,
    proposalId: proposal._id,
    actorId: ctx.user.id,
    action: 'conflict.declared',
    before: snapshot(before),
    after: snapshot(after),
    at: ctx.now,
  });
  return presentConflict(after, { proposal, person });
}

/**
 * Conflicts in a call. Staff who rule on conflicts see every one (declared and proposed
 * automatically) except those on proposals they are conflicted with themselves; everyone else
 * sees only their own.
 * @throws NotFoundError for a non-member.
 */
export async function listConflicts(ctx: CommandContext, callId: string) {
  const { access, call } = await loadCallAccess(ctx.models, ctx.user, callId);
  authorize(access, 'call:read');
  const me = new Types.ObjectId(ctx.user.id);
  let conflicts: ConflictDoc[];
  if (can(access, 'conflict:review')) {
    const [hidden, all] = await Promise.all([
      conflictedProposalIds(ctx.models, callId, ctx.user.id),
      ctx.models.Conflict.find({ callId: call._id }).sort({ createdAt: 1 }).lean(),
    ]);
    conflicts = all.filter((c) => String(c.userId) === ctx.user.id || !hidden.has(String(c.proposalId)));
  } else {
    conflicts = await ctx.models.Conflict.find({ callId: call._id, userId: me }).sort({ createdAt: 1 }).lean();
  }
  return presentMany(ctx.models, conflicts);
}

/**
 * Staff confirm or dismiss a conflict. Nobody rules on their own conflict, and a staff member
 * conflicted with the proposal cannot see the conflict at all.
 * Answered from the write itself, as declareConflict is: what the presentation needs (the proposal,
 * the person concerned) is read before it, so a database lost right after the write cannot turn a
 * stored ruling into an error (a retry would then be refused as stale, 409).
 * @throws NotFoundError, ForbiddenError, ConflictError (stale `version`).
 */
export async function resolveConflict(ctx: CommandContext, conflictId: string, input: ConflictResolveInput) {
  const conflict = await ctx.models.Conflict.findById(parseId(conflictId)).lean();
  if (!conflict) throw new NotFoundError();
  const { access } = await loadCallAccess(ctx.models, ctx.user, String(conflict.callId));
  authorize(access, 'conflict:review');
  if (String(conflict.userId) === ctx.user.id) throw new ForbiddenError('Someone else must rule on your own conflict');
  const [hidden, proposal, person] = await Promise.all([
    conflictedProposalIds(ctx.models, String(conflict.callId), ctx.user.id),
    ctx.models.Proposal.findById(conflict.proposalId, { ref: 1, title: 1 }).lean(),
    ctx.models.User.findById(conflict.userId, { name: 1, email: 1, institution: 1 }).lean(),
  ]);
  if (hidden.has(String(conflict.proposalId))) throw new NotFoundError();
  const version = conflict.version ?? 0;
  if (input.version !== version) throw new ConflictError();
  const updated = await ctx.models.Conflict.findOneAndUpdate(
    { _id: conflict._id, version },
    { $set: { status: input.status, decidedBy: new Types.ObjectId(ctx.user.id), note: input.note ?? conflict.note ?? null }, $inc: { version: 1 } },
    { returnDocument: 'after' },
  ).lean();
  if (!updated) throw new ConflictError();
  // In force from here on: live connections are told before anything else can fail (declareConflict says why).
  announceAccessChange({ callId: String(conflict.callId), proposalId: String(conflict.proposalId), userId: String(conflict.userId) });
  await recordAudit(ctx.models, {
    callId: conflict.callId,
    proposalId: conflict.proposalId,
    actorId: ctx.user.id,
    action: input.status === 'confirmed' ? 'conflict.confirmed' : 'conflict.dismissed',
    before: snapshot(conflict),
    after: snapshot(updated),
    at: ctx.now,
  });
  return presentConflict(updated, { proposal, person });
}
