import { announceAccessChange } from '../access/accessChanges.js';
import { Types } from 'mongoose';
import type { Role } from '../../../shared/enums.js';
import type { DecisionSetInput, SignOffInput } from '../../../shared/schemas/decision.js';
import { signOff, withSignOff, type SignOffRecord } from '../../domain/decisions.js';
import { participatingAgencies } from '../../domain/proposals.js';
import { ConflictError } from '../../errors.js';
import { authorize } from '../../policies/authorize.js';
import { signingAgency } from '../../policies/roles.js';
import { presentDecision } from '../../presenters/decision.js';
import type { CommandContext } from '../calls/callCommands.js';
import { loadProposalAccess } from '../access/loadAccess.js';
import { recordAudit } from '../audit/recordAudit.js';
import { callRules } from '../reviews/callRules.js';
import { isDuplicateKey } from '../access/ids.js';
import { personNames } from '../reviews/personNames.js';
import { contentChanged } from './contentChanged.js';
import { decisionOf, loadSignedContent, signOffState, type StoredSignOff } from './signedContent.js';


const SIGN_OFF_ATTEMPTS = 3;

function toDomainSignOff(stored: StoredSignOff): SignOffRecord {
  return {
    agency: stored.agency,
    personId: String(stored.personId),
    role: stored.role as Role,
    contentHash: stored.contentHash,
    signedAt: stored.signedAt.toISOString(),
  };
}

type ProposalDoc = Awaited<ReturnType<typeof loadProposalAccess>>['proposal'];
type CallDoc = Awaited<ReturnType<typeof loadProposalAccess>>['call'];

/**
 * A proposal's decision with each participating agency's sign-off status and the content hash to
 * sign (no authorization: callers authorize first).
 */
export async function decisionView(ctx: CommandContext, call: CallDoc, proposal: ProposalDoc, mySigningAgency: string | null) {
  const { hash, decisionDoc } = await loadSignedContent(ctx.models, proposal._id);
  const participating = participatingAgencies(callRules(call), proposal);
  const records = (decisionDoc?.signOffs ?? []) as StoredSignOff[];
  const lines = participating.map((agency) => {
    const record = records.find((candidate) => candidate.agency === agency);
    return { agency, status: signOffState(record, hash), record };
  });
  return presentDecision({
    proposalId: String(proposal._id),
    decision: decisionOf(decisionDoc),
    version: decisionDoc?.version ?? 0,
    contentHash: hash,
    lines,
    names: await personNames(ctx.models, records.map((record) => record.personId)),
    mySigningAgency,
  });
}

/**
 * `GET /proposals/:id/decision`: the decision, each participating agency's sign-off status
 * (valid, voided, missing) and the content hash to sign.
 * @throws NotFoundError (not a member, conflicted), ForbiddenError (reviewers before `decided`).
 */
export async function getDecision(ctx: CommandContext, proposalId: string) {
  const { access, call, proposal } = await loadProposalAccess(ctx.models, ctx.user, proposalId);
  authorize(access, 'decision:read');
  return decisionView(ctx, call, proposal, signingAgency(access));
}

/**
 * `PUT /proposals/:id/decision`: sets the joint decision (fund, fund with conditions, reserve,
 * reject). Optimistic on `version`; any change voids the sign-offs given on the earlier content.
 * @throws NotFoundError, ForbiddenError (not a moderator, wrong phase), ConflictError.
 */
export async function setDecision(ctx: CommandContext, proposalId: string, body: DecisionSetInput) {
  const { access, call, proposal } = await loadProposalAccess(ctx.models, ctx.user, proposalId);
  authorize(access, 'decision:write');
  const existing = await ctx.models.Decision.findOne({ proposalId: proposal._id }).lean();
  const storedVersion = existing?.version ?? 0;
  if (body.version !== storedVersion) throw new ConflictError();
  const fields = { kind: body.kind, conditions: body.conditions ?? null, decidedBy: ctx.user.id, version: storedVersion + 1 };
  if (existing) {
    const updated = await ctx.models.Decision.findOneAndUpdate({ _id: existing._id, version: storedVersion }, { $set: fields }, { returnDocument: 'after' }).lean();
    if (!updated) throw new ConflictError();
  } else {
    try {
      await ctx.models.Decision.create({ callId: call._id, proposalId: proposal._id, ...fields, signOffs: [] });
    } catch (error) {
      if (isDuplicateKey(error)) throw new ConflictError();
      throw error;
    }
  }
  await recordAudit(ctx.models, {
    callId: call._id,
    proposalId: proposal._id,
    actorId: ctx.user.id,
    action: 'decision.set',
    before: existing ? { ...decisionOf(existing), version: storedVersion } : null,
    after: { kind: body.kind, conditions: body.conditions ?? null, version: storedVersion + 1 },
    at: ctx.now,
  });
  await contentChanged({ models: ctx.models, callId: call._id, proposalId: proposal._id, actorId: ctx.user.id, cause: 'decision.set', now: ctx.now });
  return getDecision(ctx, proposalId);
}

/**
 * `POST /proposals/:id/signoffs`: the signer's agency signs off the content they were shown. The
 * agency is derived from the membership (JST's PO/PD sign for JST, an officer for their agency).
 * @throws NotFoundError, ForbiddenError (nobody to sign for, wrong phase), DomainError
 *   `decision_missing`, `signoff_not_eligible`, `signoff_stale` (409), ConflictError (a concurrent sign-off).
 */
export async function signOffDecision(ctx: CommandContext, proposalId: string, body: SignOffInput) {
  const { access, call, proposal } = await loadProposalAccess(ctx.models, ctx.user, proposalId);
  authorize(access, 'signoff:write');
  const agency = signingAgency(access)!;
  const participating = participatingAgencies(callRules(call), proposal);
  // Agencies signing at the same moment do not conflict: on a lost race the content is re-read
  // and re-checked (a real content change then fails as stale), and the write retried.
  for (let attempt = 0; attempt < SIGN_OFF_ATTEMPTS; attempt++) {
    const { hash, decisionDoc } = await loadSignedContent(ctx.models, proposal._id);
    const record = signOff({
      signer: { personId: ctx.user.id, role: access.membership!.role as Role, agency },
      agency,
      participating,
      decision: decisionOf(decisionDoc),
      presentedHash: body.contentHash,
      currentHash: hash,
      now: ctx.now,
    });
    const stored = (decisionDoc!.signOffs ?? []) as StoredSignOff[];
    const kept = new Map(stored.map((s) => [s.agency, s]));
    const signOffs = withSignOff(stored.map(toDomainSignOff), record).map((s) =>
      s === record
        ? { agency, personId: new Types.ObjectId(ctx.user.id), role: s.role, contentHash: s.contentHash, signedAt: ctx.now, voidedAt: null, voidedBy: null }
        : kept.get(s.agency)!,
    );
    const updated = await ctx.models.Decision.findOneAndUpdate(
      { _id: decisionDoc!._id, version: decisionDoc!.version, signOffsVersion: decisionDoc!.signOffsVersion ?? 0 },
      { $set: { signOffs }, $inc: { signOffsVersion: 1 } },
      { returnDocument: 'after' },
    ).lean();
    if (!updated) continue;
    // The last agency's sign-off makes the report read-only for everyone with it open: told before
    // anything else can fail (a lost audit insert included).
    announceAccessChange({ callId: String(call._id), proposalId: String(proposal._id) });
    const earlier = kept.get(agency);
    await recordAudit(ctx.models, {
      callId: call._id,
      proposalId: proposal._id,
      actorId: ctx.user.id,
      action: 'signoff.given',
      before: earlier ? { personId: String(earlier.personId), contentHash: earlier.contentHash, voidedAt: earlier.voidedAt ?? null } : null,
      after: { agency, role: record.role, contentHash: record.contentHash },
      at: ctx.now,
    });
    // A score or consensus change that landed between reading the content and this write voids it here.
    await contentChanged({ models: ctx.models, callId: call._id, proposalId: proposal._id, actorId: ctx.user.id, cause: 'content.changed', now: ctx.now });
    return getDecision(ctx, proposalId);
  }
  throw new ConflictError('The decision or its sign-offs kept changing; reload and sign again');
}
