import type { ProgrammeType } from '../../../shared/enums.js';
import { ProposalCreateSchema, type ProposalCreateInput, type ProposalUpdateInput } from '../../../shared/schemas/proposal.js';
import { assertBudgetValid } from '../../domain/budget.js';
import { assertProposalAgencies, participatingAgencies } from '../../domain/proposals.js';
import { ConflictError } from '../../errors.js';
import { presentProposal, presentProposalSummary } from '../../presenters/proposal.js';
import { allowedActions, authorize } from '../../policies/authorize.js';
import { isStaff } from '../../policies/roles.js';
import { conflictedProposalIds, loadCallAccess, loadProposalAccess } from '../access/loadAccess.js';
import { isDuplicateKey } from '../access/ids.js';
import { recordAudit } from '../audit/recordAudit.js';
import { callInputOf } from '../calls/callInput.js';
import type { CommandContext } from '../calls/callCommands.js';
import { proposeConflictsForProposal } from '../conflicts/automaticConflicts.js';
import { parseOrThrow } from '../validation.js';
import { proposalInputOf, proposalRef, proposalStates } from './proposalState.js';

const REF_ATTEMPTS = 5;

/**
 * Registers a proposal in a call in setup. Its PIs' agencies must take part in the call (JST
 * among them, as many sides as the programme needs); period and budget are checked against
 * the call's (or programme's) ranges and each agency's envelope. Conflicts with the call's
 * reviewers are then proposed automatically.
 * @throws NotFoundError, ForbiddenError, DomainError (`proposal_agencies_invalid`,
 *   `period_out_of_range`, `budget_*`: 400 with the field path and the allowed range).
 */
export async function createProposal(ctx: CommandContext, callId: string, input: ProposalCreateInput) {
  const { access, call } = await loadCallAccess(ctx.models, ctx.user, callId);
  authorize(access, 'proposal:create');
  const rules = callInputOf(call);
  assertProposalAgencies(rules, input);
  assertBudgetValid(rules, input);
  let created;
  // References are numbered per call; two creations at once may pick the same number, and the
  // unique (callId, ref) index turns the loser into a retry with the next one.
  for (let attempt = 0; !created; attempt++) {
    const count = await ctx.models.Proposal.countDocuments({ callId: call._id });
    const ref = proposalRef(call.programme as ProgrammeType, ctx.now.getUTCFullYear(), count + 1 + attempt);
    try {
      created = await ctx.models.Proposal.create({ ...input, callId: call._id, ref, version: 0 });
    } catch (error) {
      if (!isDuplicateKey(error) || attempt + 1 >= REF_ATTEMPTS) throw error;
    }
  }
  await recordAudit(ctx.models, {
    callId: call._id,
    proposalId: created._id,
    actorId: ctx.user.id,
    action: 'proposal.created',
    after: { ref: created.ref, ...input },
    at: ctx.now,
  });
  await proposeConflictsForProposal(ctx.models, created.toObject(), ctx.user.id, ctx.now);
  return getProposal(ctx, String(created._id));
}

/**
 * One proposal with the requester's assignment, review state and allowed actions.
 * @throws NotFoundError for a bad id, a non-member and a conflicted person alike.
 */
export async function getProposal(ctx: CommandContext, proposalId: string) {
  const { access, call, proposal } = await loadProposalAccess(ctx.models, ctx.user, proposalId);
  authorize(access, 'proposal:read');
  const states = await proposalStates(ctx.models, call._id, ctx.user.id, isStaff(access));
  const id = String(proposal._id);
  return presentProposal(proposal, {
    agencies: participatingAgencies(callInputOf(call), proposal),
    me: states.me(id),
    counts: states.counts(id),
    allowed: allowedActions(access),
  });
}

/**
 * The proposals of a call the requester may see: everything but those they are conflicted with
 * (which do not appear at all). Staff rows carry assignment and submitted-review counts.
 * @throws NotFoundError for a non-member.
 */
export async function listProposals(ctx: CommandContext, callId: string) {
  const { access, call } = await loadCallAccess(ctx.models, ctx.user, callId);
  authorize(access, 'call:read');
  const [hidden, proposals] = await Promise.all([
    conflictedProposalIds(ctx.models, callId, ctx.user.id),
    ctx.models.Proposal.find({ callId: call._id }).sort({ ref: 1 }).lean(),
  ]);
  const states = await proposalStates(ctx.models, call._id, ctx.user.id, isStaff(access));
  const rules = callInputOf(call);
  return proposals
    .filter((proposal) => !hidden.has(String(proposal._id)))
    .map((proposal) => {
      const id = String(proposal._id);
      return presentProposalSummary(proposal, {
        agencies: participatingAgencies(rules, proposal),
        me: states.me(id),
        counts: states.counts(id),
      });
    });
}

/**
 * Edits a proposal while its call is in setup. Optimistic on `version`; the PATCH is merged onto
 * the stored proposal and the whole re-validated (schema, agencies, period and budget).
 * @throws NotFoundError, ForbiddenError, ValidationError, DomainError, ConflictError.
 */
export async function updateProposal(ctx: CommandContext, proposalId: string, input: ProposalUpdateInput & { version: number }) {
  const { access, call, proposal } = await loadProposalAccess(ctx.models, ctx.user, proposalId);
  authorize(access, 'proposal:update');
  if (input.version !== (proposal.version ?? 0)) throw new ConflictError();
  const { version, ...patch } = input;
  const before = proposalInputOf(proposal);
  const after = parseOrThrow(ProposalCreateSchema, { ...before, ...patch }, 'The proposal would not be valid after this change');
  const rules = callInputOf(call);
  assertProposalAgencies(rules, after);
  assertBudgetValid(rules, after);
  const changed = (Object.keys(patch) as (keyof ProposalCreateInput)[]).filter(
    (key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]),
  );
  const updated = await ctx.models.Proposal.findOneAndUpdate(
    { _id: proposal._id, version },
    { $set: after, $inc: { version: 1 } },
    { returnDocument: 'after' },
  ).lean();
  if (!updated) throw new ConflictError();
  await recordAudit(ctx.models, {
    callId: call._id,
    proposalId: proposal._id,
    actorId: ctx.user.id,
    action: 'proposal.updated',
    before: Object.fromEntries(changed.map((key) => [key, before[key]])),
    after: Object.fromEntries(changed.map((key) => [key, after[key]])),
    at: ctx.now,
  });
  if (changed.includes('pis')) await proposeConflictsForProposal(ctx.models, updated, ctx.user.id, ctx.now);
  return getProposal(ctx, proposalId);
}
