import { announceAccessChange } from '../access/accessChanges.js';
import { Types } from 'mongoose';
import type { MembershipInput } from '../../../shared/schemas/person.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../errors.js';
import { presentInvitation, presentMember } from '../../presenters/person.js';
import { authorize, can } from '../../policies/authorize.js';
import { isCallAdmin, isStaff } from '../../policies/roles.js';
import { loadCallAccess } from '../access/loadAccess.js';
import { isDuplicateKey, parseId } from '../access/ids.js';
import { recordAudit } from '../audit/recordAudit.js';
import type { CommandContext } from '../calls/callCommands.js';
import { proposeConflictsForReviewer } from '../conflicts/automaticConflicts.js';

/**
 * Checks that an agency code names one of the call's agencies.
 * @throws ValidationError on `agency`.
 */
export function assertAgencyInCall(call: { agencies: { code: string }[] }, agency: string | undefined): void {
  if (agency === undefined) return;
  const codes = call.agencies.map((a) => a.code);
  if (!codes.includes(agency)) throw new ValidationError('Unknown agency', { agency: `must be one of ${codes.join(', ')}` });
}

const snapshot = (m: { role: string; agency?: string | null; timeZone?: string | null; language?: string | null } | null) =>
  m ? { role: m.role, agency: m.agency ?? null, timeZone: m.timeZone ?? null, language: m.language ?? null } : null;

/**
 * The call's members (names, roles, sides; staff also see e-mail and institution) and, for those
 * who may invite, the invitations not yet used or expired.
 * @throws NotFoundError for a non-member.
 */
export async function listMembers(ctx: CommandContext, callId: string) {
  const { access, call } = await loadCallAccess(ctx.models, ctx.user, callId);
  authorize(access, 'call:read');
  const memberships = await ctx.models.Membership.find({ callId: call._id }).sort({ createdAt: 1 }).lean();
  const users = await ctx.models.User.find({ _id: { $in: memberships.map((m) => m.userId) } }, { name: 1, email: 1, institution: 1 }).lean();
  const userBy = new Map(users.map((u) => [String(u._id), u]));
  const withContact = isStaff(access);
  const members = memberships.map((m) => presentMember(m, userBy.get(String(m.userId)), { withContact }));
  if (!can(access, 'person:invite')) return { members, invitations: null };
  const open = await ctx.models.Invitation.find({ callId: call._id, usedAt: null, expiresAt: { $gt: ctx.now } }).sort({ createdAt: 1 }).lean();
  return { members, invitations: open.map(presentInvitation) };
}

/**
 * Gives an existing person a role in the call, or changes it (`PUT`: the body is the whole
 * membership). Only the call's administrators grant or take away the admin role. A reviewer with
 * assignments keeps role and side (their assignments are on that side). Conflicts with the
 * call's proposals are proposed for a reviewer.
 * @throws NotFoundError, ForbiddenError, ValidationError (unknown person or agency),
 *   ConflictError `member_has_assignments`.
 */
export async function upsertMember(ctx: CommandContext, callId: string, input: MembershipInput) {
  const { access, call } = await loadCallAccess(ctx.models, ctx.user, callId);
  authorize(access, 'membership:write');
  assertAgencyInCall(call, input.agency);
  const userId = new Types.ObjectId(input.personId);
  const [user, before] = await Promise.all([
    ctx.models.User.findById(userId, { name: 1, email: 1, institution: 1 }).lean(),
    ctx.models.Membership.findOne({ callId: call._id, userId }).lean(),
  ]);
  if (!user) throw new ValidationError('No such person', { personId: 'no such person' });
  if ((input.role === 'admin' || before?.role === 'admin') && !isCallAdmin(access)) {
    throw new ForbiddenError("Only the call's administrators grant or remove the admin role");
  }
  if (before && (before.role !== input.role || (before.agency ?? undefined) !== input.agency)) {
    if (await ctx.models.Assignment.exists({ callId: call._id, reviewerId: userId })) {
      throw new ConflictError('This reviewer has assignments; remove them before changing role or side', 'member_has_assignments');
    }
  }
  const set: Record<string, string> = { role: input.role };
  const unset: Record<string, 1> = {};
  for (const key of ['agency', 'timeZone', 'language'] as const) {
    if (input[key] !== undefined) set[key] = input[key];
    else unset[key] = 1;
  }
  const update = Object.keys(unset).length ? { $set: set, $unset: unset } : { $set: set };
  let after;
  try {
    after = await ctx.models.Membership.findOneAndUpdate({ callId: call._id, userId }, update, { upsert: true, returnDocument: 'after' }).lean();
  } catch (error) {
    // Two upserts of a new member at once: the loser's insert hits the unique index; update instead.
    if (!isDuplicateKey(error)) throw error;
    after = await ctx.models.Membership.findOneAndUpdate({ callId: call._id, userId }, update, { returnDocument: 'after' }).lean();
  }
  if (!after) throw new NotFoundError();
  // In force from here on: live connections are told before anything else can fail (a lost audit insert included).
  announceAccessChange({ callId: String(call._id), userId: String(userId) });
  await recordAudit(ctx.models, {
    callId: call._id,
    actorId: ctx.user.id,
    action: before ? 'membership.changed' : 'membership.added',
    before: before ? { userId: input.personId, ...snapshot(before) } : null,
    after: { userId: input.personId, ...snapshot(after) },
    at: ctx.now,
  });
  if (after.role === 'reviewer') await proposeConflictsForReviewer(ctx.models, call._id, userId, ctx.user.id, ctx.now);
  return { member: presentMember(after, user, { withContact: true }), created: before === null };
}

/**
 * Takes a person's role in the call away. Someone with assignments keeps it until those are removed.
 * @throws NotFoundError (also for a malformed id or a non-member), ForbiddenError, ConflictError `member_has_assignments`.
 */
export async function removeMember(ctx: CommandContext, callId: string, userIdParam: string) {
  const userId = parseId(userIdParam);
  const { access, call } = await loadCallAccess(ctx.models, ctx.user, callId);
  authorize(access, 'membership:write');
  const membership = await ctx.models.Membership.findOne({ callId: call._id, userId }).lean();
  if (!membership) throw new NotFoundError();
  if (membership.role === 'admin' && !isCallAdmin(access)) throw new ForbiddenError("Only the call's administrators remove an administrator");
  if (await ctx.models.Assignment.exists({ callId: call._id, reviewerId: userId })) {
    throw new ConflictError('This person has assignments; remove them first', 'member_has_assignments');
  }
  const { deletedCount } = await ctx.models.Membership.deleteOne({ _id: membership._id });
  if (deletedCount !== 1) throw new NotFoundError();
  // In force from here on: live connections are told before anything else can fail (a lost audit insert included).
  announceAccessChange({ callId: String(call._id), userId: String(userId) });
  await recordAudit(ctx.models, {
    callId: call._id,
    actorId: ctx.user.id,
    action: 'membership.removed',
    before: { userId: String(userId), ...snapshot(membership) },
    at: ctx.now,
  });
}
