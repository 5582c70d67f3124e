import { Types } from 'mongoose';
import type { RankingMoveInput, RankingTiersInput } from '../../../shared/schemas/ranking.js';
import { DomainError } from '../../domain/domainError.js';
import { applyMoves, assignTiers } from '../../domain/ranking.js';
import { ConflictError, NotFoundError } from '../../errors.js';
import { authorize } from '../../policies/authorize.js';
import { presentRanking } from '../../presenters/ranking.js';
import type { CommandContext } from '../calls/callCommands.js';
import { conflictedProposalIds, loadCallAccess } from '../access/loadAccess.js';
import { recordAudit } from '../audit/recordAudit.js';
import { isDuplicateKey } from '../access/ids.js';
import { personNames } from '../reviews/personNames.js';
import { fullCut, fullPosition, loadJointList, visibleRanking, type JointList } from './jointList.js';


async function loadForRanking(ctx: CommandContext, callId: string, action: 'ranking:read' | 'ranking:write') {
  const { access, call } = await loadCallAccess(ctx.models, ctx.user, callId);
  authorize(access, action);
  const [hidden, list] = await Promise.all([
    conflictedProposalIds(ctx.models, callId, ctx.user.id),
    loadJointList(ctx.models, call),
  ]);
  return { call, hidden, list };
}

/** The ranking one person may see (see visibleRanking), as the API returns it. */
export async function rankingFor(ctx: CommandContext, list: JointList, hidden: ReadonlySet<string>, callId: string) {
  const moves = list.stored?.moves ?? [];
  return presentRanking({
    callId,
    version: list.version,
    initialised: list.stored !== null,
    view: visibleRanking(list, hidden),
    moves,
    hidden,
    names: await personNames(ctx.models, moves.map((move) => move.by)),
    refs: new Map(list.proposals.map((p) => [String(p._id), p.ref])),
  });
}

/**
 * `GET /calls/:id/ranking`: agency rankings side by side, the joint list with tiers and funding
 * lines, and the recorded moves. The viewer's conflicted proposals are left out entirely.
 * @throws NotFoundError (not a member), ForbiddenError (a reviewer before the panel).
 */
export async function getRanking(ctx: CommandContext, callId: string) {
  const { hidden, list } = await loadForRanking(ctx, callId, 'ranking:read');
  return rankingFor(ctx, list, hidden, callId);
}

async function saveRanking(
  ctx: CommandContext,
  list: JointList,
  callId: Types.ObjectId,
  update: { order?: string[]; move?: Record<string, unknown>; tiers?: { label: string; lastPosition: number }[] },
) {
  const order = (update.order ?? list.order).map((id) => new Types.ObjectId(id));
  if (list.stored) {
    const saved = await ctx.models.Ranking.findOneAndUpdate(
      { _id: list.stored._id, version: list.stored.version },
      {
        $set: { order, ...(update.tiers ? { tiers: update.tiers } : {}) },
        ...(update.move ? { $push: { moves: update.move } } : {}),
        $inc: { version: 1 },
      },
      { returnDocument: 'after' },
    ).lean();
    if (!saved) throw new ConflictError('The ranking was changed by someone else; reload it');
    return;
  }
  try {
    await ctx.models.Ranking.create({
      callId,
      order,
      moves: update.move ? [update.move] : [],
      tiers: update.tiers ?? [],
      version: 1,
    });
  } catch (error) {
    if (isDuplicateKey(error)) throw new ConflictError('The ranking was changed by someone else; reload it');
    throw error;
  }
}

/**
 * `POST /calls/:id/ranking/moves`: moves a proposal in the joint list (positions as the mover sees
 * the list) and records the move with its reason, actor and time. The first move stores the list
 * initialised from the overall scores. Optimistic on `version`.
 * @throws NotFoundError (not a member, or conflicted with the proposal), ForbiddenError,
 *   DomainError `ranking_move_invalid`, ConflictError (stale version).
 */
export async function moveInRanking(ctx: CommandContext, callId: string, body: RankingMoveInput) {
  const { call, hidden, list } = await loadForRanking(ctx, callId, 'ranking:write');
  if (hidden.has(body.proposalId)) throw new NotFoundError();
  if (body.version !== list.version) throw new ConflictError();
  const visible = list.order.filter((id) => !hidden.has(id));
  const from = visible.indexOf(body.proposalId);
  if (from === -1) {
    throw new DomainError('ranking_move_invalid', 'this proposal is not in the joint list', { proposalId: 'not in this call' });
  }
  if (body.toPosition > visible.length || body.toPosition === from + 1) {
    const message = body.toPosition === from + 1 ? 'is the current position' : `must be between 1 and ${visible.length}`;
    throw new DomainError('ranking_move_invalid', `toPosition ${message}`, { toPosition: message });
  }
  const at = ctx.now.toISOString();
  const toPosition = fullPosition(list.order, visible, body.proposalId, body.toPosition);
  const { order, history } = applyMoves(list.order, [{ proposalId: body.proposalId, toPosition, reason: body.reason, by: ctx.user.id, at }]);
  const applied = history[0];
  await saveRanking(ctx, list, call._id, {
    order,
    move: {
      proposalId: new Types.ObjectId(body.proposalId),
      fromPosition: applied.fromPosition,
      toPosition: applied.toPosition,
      reason: body.reason,
      by: new Types.ObjectId(ctx.user.id),
      at: ctx.now,
    },
  });
  await recordAudit(ctx.models, {
    callId: call._id,
    proposalId: body.proposalId,
    actorId: ctx.user.id,
    action: 'ranking.moved',
    before: { position: applied.fromPosition, version: list.version },
    after: { position: applied.toPosition, reason: body.reason, version: list.version + 1 },
    at: ctx.now,
  });
  return getRanking(ctx, callId);
}

/**
 * `PUT /calls/:id/ranking/tiers`: cuts the joint list into tiers (cut positions as the person sees
 * the list). Optimistic on `version`.
 * @throws NotFoundError, ForbiddenError, DomainError `tiers_invalid`, ConflictError.
 */
export async function setTiers(ctx: CommandContext, callId: string, body: RankingTiersInput) {
  const { call, hidden, list } = await loadForRanking(ctx, callId, 'ranking:write');
  if (body.version !== list.version) throw new ConflictError();
  // Labels and order are checked on the cuts as given, so errors name the positions the person sent.
  assignTiers(list.order.filter((id) => !hidden.has(id)), body.tiers);
  const visible = list.order.filter((id) => !hidden.has(id));
  const tiers = body.tiers.map((tier) => ({ label: tier.label, lastPosition: fullCut(list.order, visible, tier.lastPosition) }));
  await saveRanking(ctx, list, call._id, { tiers });
  await recordAudit(ctx.models, {
    callId: call._id,
    actorId: ctx.user.id,
    action: 'ranking.tiersSet',
    before: { tiers: list.tiers, version: list.version },
    after: { tiers, version: list.version + 1 },
    at: ctx.now,
  });
  return getRanking(ctx, callId);
}
