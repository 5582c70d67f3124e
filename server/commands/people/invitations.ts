import argon2 from 'argon2';
import { randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import { LIMITS } from '../../../shared/limits.js';
import { InvitationAcceptSchema, type InvitationCreateInput } from '../../../shared/schemas/invitation.js';
import { ConflictError, ForbiddenError, NotFoundError, UnauthenticatedError, ValidationError } from '../../errors.js';
import type { Models } from '../../models/index.js';
import { presentInvitation, presentInvitationPreview } from '../../presenters/person.js';
import { authorize } from '../../policies/authorize.js';
import { isCallAdmin } from '../../policies/roles.js';
import { loadCallAccess } from '../access/loadAccess.js';
import { isDuplicateKey } from '../access/ids.js';
import { recordAudit } from '../audit/recordAudit.js';
import { createSession, hashToken, revokeSession } from '../auth/sessions.js';
import type { CommandContext } from '../calls/callCommands.js';
import { proposeConflictsForReviewer } from '../conflicts/automaticConflicts.js';
import { assertAgencyInCall } from './members.js';

/** How long an invitation link works. */
export const INVITATION_TTL_MS = 14 * 24 * 3600 * 1000;

const TOKEN_PATTERN = InvitationAcceptSchema.shape.token;

export { InvitationAcceptBodySchema, type InvitationAcceptBody } from '../../../shared/schemas/invitation.js';
import type { InvitationAcceptBody } from '../../../shared/schemas/invitation.js';

/**
 * Invites someone by e-mail to a role in the call. Returns the accept link once; only the
 * token's SHA-256 is stored. Only the call's administrators invite administrators.
 * @throws NotFoundError, ForbiddenError, ValidationError (agency not in the call, callId mismatch),
 *   ConflictError `already_member`.
 */
export async function createInvitation(ctx: CommandContext, callId: string, input: InvitationCreateInput) {
  const { access, call } = await loadCallAccess(ctx.models, ctx.user, callId);
  authorize(access, 'person:invite');
  if (input.callId !== undefined && input.callId !== String(call._id)) {
    throw new ValidationError('Wrong call', { callId: 'does not match the call in the address' });
  }
  assertAgencyInCall(call, input.agency);
  if (input.role === 'admin' && !isCallAdmin(access)) throw new ForbiddenError("Only the call's administrators invite administrators");
  const existing = await ctx.models.User.findOne({ email: input.email }, { _id: 1 }).lean();
  if (existing && (await ctx.models.Membership.exists({ callId: call._id, userId: existing._id }))) {
    throw new ConflictError('This person is already a member; change their role in the member list', 'already_member');
  }
  const token = randomBytes(32).toString('base64url');
  const invitation = await ctx.models.Invitation.create({
    tokenHash: hashToken(token),
    callId: call._id,
    email: input.email,
    role: input.role,
    agency: input.agency,
    language: input.language,
    invitedBy: new Types.ObjectId(ctx.user.id),
    expiresAt: new Date(ctx.now.getTime() + INVITATION_TTL_MS),
  });
  const presented = presentInvitation(invitation.toObject());
  await recordAudit(ctx.models, { callId: call._id, actorId: ctx.user.id, action: 'invitation.created', after: presented, at: ctx.now });
  return { invitation: presented, link: `/invite/${token}` };
}

async function findOpenInvitation(models: Models, token: string, now: Date) {
  if (!TOKEN_PATTERN.safeParse(token).success) throw new NotFoundError();
  const invitation = await models.Invitation.findOne({ tokenHash: hashToken(token), usedAt: null, expiresAt: { $gt: now } }).lean();
  if (!invitation) throw new NotFoundError();
  return invitation;
}

/**
 * What the (public) invitation page shows: call title, role, e-mail, expiry, and whether an account
 * with that e-mail exists (then the invitee signs in instead of choosing a password).
 * @throws NotFoundError for an unknown, used or expired token.
 */
export async function showInvitation(models: Models, token: string, now: Date) {
  const invitation = await findOpenInvitation(models, token, now);
  const [call, account] = await Promise.all([
    models.Call.findById(invitation.callId, { title: 1 }).lean(),
    models.User.exists({ email: invitation.email, passwordHash: { $exists: true } }),
  ]);
  if (!call) throw new NotFoundError();
  return presentInvitationPreview(invitation, call, account !== null);
}

export interface AcceptMeta {
  ip?: string;
  userAgent?: string;
  /** The caller's current session cookie, if any. */
  previousToken?: string;
  /** The signed-in person, if any. */
  signedIn?: { id: string; email: string };
}

/**
 * Accepts an invitation: creates the account (or, when the invitee is signed in with the invited
 * e-mail, attaches the role to their account), adds the membership, proposes conflicts for a
 * reviewer, and signs the new account in. The invitation is claimed with one conditional update
 * (`usedAt: null`), so of two concurrent accepts exactly one wins; the other gets 404.
 * @returns the session token to set (undefined when the signed-in session is kept), the user and the call id.
 * @throws NotFoundError (unknown, used or expired), UnauthenticatedError (the account exists: sign in
 *   first), ForbiddenError (signed in as someone else), ValidationError (name/password missing).
 */
export async function acceptInvitation(models: Models, token: string, body: InvitationAcceptBody, meta: AcceptMeta, now: Date) {
  const invitation = await findOpenInvitation(models, token, now);
  const existing = await models.User.findOne({ email: invitation.email }).lean();
  if (meta.signedIn && meta.signedIn.email !== invitation.email) {
    throw new ForbiddenError(`This invitation is for ${invitation.email}; sign out first`);
  }
  const attach = existing?.passwordHash ? existing : null;
  if (attach && meta.signedIn?.id !== String(attach._id)) throw new UnauthenticatedError(`Sign in as ${invitation.email} to accept`);
  let passwordHash: string | undefined;
  if (!attach) {
    const missing: Record<string, string> = {};
    if (!body.name) missing.name = 'Required';
    if (!body.password) missing.password = `Choose a password of at least ${LIMITS.minPasswordLength} characters`;
    if (Object.keys(missing).length) throw new ValidationError('Name and password are required', missing);
    // Hash before claiming: the claim should not sit on a slow step that could then fail.
    passwordHash = await argon2.hash(body.password as string);
  }

  const claimed = await models.Invitation.findOneAndUpdate(
    { _id: invitation._id, usedAt: null, expiresAt: { $gt: now } },
    { $set: { usedAt: now } },
    { returnDocument: 'after' },
  ).lean();
  if (!claimed) throw new NotFoundError();

  let user = attach;
  if (!user) {
    const call = await models.Call.findById(invitation.callId, { agencies: 1 }).lean();
    const agencyZone = call?.agencies.find((a) => a.code === invitation.agency)?.timeZone;
    const profile = {
      name: body.name as string,
      passwordHash,
      language: body.language ?? invitation.language,
      timeZone: body.timeZone ?? agencyZone ?? 'UTC',
      ...(body.institution ? { institution: body.institution } : {}),
    };
    try {
      user = await models.User.findOneAndUpdate({ email: invitation.email, passwordHash: null }, { $set: profile }, { upsert: true, returnDocument: 'after' }).lean();
    } catch (error) {
      // Someone set up this account a moment ago (another invitation): give this one back.
      await models.Invitation.updateOne({ _id: invitation._id, usedAt: now }, { $set: { usedAt: null } });
      if (isDuplicateKey(error)) throw new UnauthenticatedError(`Sign in as ${invitation.email} to accept`);
      throw error;
    }
    if (!user) throw new NotFoundError();
  }

  await models.Invitation.updateOne({ _id: invitation._id }, { $set: { usedBy: user._id } });
  const membershipBefore = await models.Membership.findOne({ callId: invitation.callId, userId: user._id }).lean();
  await models.Membership.updateOne(
    { callId: invitation.callId, userId: user._id },
    invitation.agency ? { $set: { role: invitation.role, agency: invitation.agency } } : { $set: { role: invitation.role }, $unset: { agency: 1 } },
    { upsert: true },
  );
  await recordAudit(models, {
    callId: invitation.callId,
    actorId: user._id,
    action: 'invitation.accepted',
    before: membershipBefore ? { role: membershipBefore.role, agency: membershipBefore.agency ?? null } : null,
    after: { invitationId: String(invitation._id), userId: String(user._id), email: invitation.email, role: invitation.role, agency: invitation.agency ?? null },
    at: now,
  });
  if (invitation.role === 'reviewer') await proposeConflictsForReviewer(models, invitation.callId, user._id, String(user._id), now);

  let sessionToken: string | undefined;
  if (meta.signedIn?.id !== String(user._id)) {
    if (meta.previousToken) await revokeSession(models, meta.previousToken);
    sessionToken = await createSession(models, user._id, meta, now);
  }
  return { sessionToken, user, callId: String(invitation.callId) };
}
