import type { PolicyAction } from '../../../shared/policyActions.js';
import { NotFoundError } from '../../errors.js';
import type { Models } from '../../models/index.js';
import type { CallAccess, ProposalAccess } from '../../policies/access.js';
import { authorize } from '../../policies/authorize.js';
import { loadCallAccess, loadProposalAccess, type Requester } from '../access/loadAccess.js';
import { ensureMeeting, type MeetingDoc } from './meetingStore.js';

/** Who acts in the meeting and when (the socket layer builds one per event). */
export interface MeetingContext {
  models: Models;
  user: Requester & { name: string };
  now: Date;
}

type MeetingAction = Extract<PolicyAction, 'meeting:read' | 'meeting:moderate' | 'meeting:participate'>;

/**
 * The person's access to the meeting as a whole, authorized for `action`.
 * @throws NotFoundError (no such call, or not a member), ForbiddenError
 */
export async function authorizeMeeting(ctx: MeetingContext, callId: string, action: MeetingAction): Promise<CallAccess> {
  const { access } = await loadCallAccess(ctx.models, ctx.user, callId);
  authorize(access, action);
  return access;
}

/**
 * The person's access to one item (a proposal of this call), authorized for `action`. A proposal
 * of another call is answered as if it did not exist.
 * @throws NotFoundError (no such proposal here, not a member, or conflicted), ForbiddenError
 */
export async function authorizeItem(
  ctx: MeetingContext,
  callId: string,
  proposalId: string,
  action: MeetingAction,
): Promise<ProposalAccess> {
  const { access } = await loadProposalAccess(ctx.models, ctx.user, proposalId);
  authorizeLoadedItem(access, callId, action);
  return access;
}

/**
 * Authorizes `action` on an item whose access is already loaded: the one decision behind
 * `authorizeItem` (one person) and the batched vote checks (many people's access loaded at once,
 * voteChecks.ts). A proposal of another call is answered as if it did not exist.
 * @throws NotFoundError (a proposal of another call, not a member, or conflicted), ForbiddenError
 */
export function authorizeLoadedItem(access: ProposalAccess, callId: string, action: MeetingAction): void {
  // `access.call` is the proposal's own call (read by its callId), so this is the proposal's call check.
  if (access.call.id !== callId) throw new NotFoundError();
  authorize(access, action);
}

/**
 * The meeting-wide access inside an item's access: the same user, call and membership that
 * `loadCallAccess` gives for that call, without the item (so 'meeting:read' is judged on the
 * meeting as `readMeeting` judges it, not on the item: a conflict with the item does not hide the meeting).
 */
export function meetingAccessOf(access: ProposalAccess): CallAccess {
  return { user: access.user, call: access.call, membership: access.membership };
}

/**
 * Authorizes `action` on the floor: on the item under discussion when there is one (so a person
 * conflicted with it can neither raise a hand nor call the next speaker), else on the meeting.
 * @throws NotFoundError, ForbiddenError
 */
export async function authorizeFloor(
  ctx: MeetingContext,
  callId: string,
  currentProposalId: string | null,
  action: MeetingAction,
): Promise<CallAccess> {
  if (currentProposalId) return authorizeItem(ctx, callId, currentProposalId, action);
  return authorizeMeeting(ctx, callId, action);
}

/**
 * The meeting of a call the person may follow (created on first use). Authorization comes first,
 * so nobody can make a meeting appear for a call they are not in, or that does not exist.
 * @throws NotFoundError
 */
export async function readMeeting(ctx: MeetingContext, callId: string): Promise<{ access: CallAccess; meeting: MeetingDoc }> {
  const access = await authorizeMeeting(ctx, callId, 'meeting:read');
  return { access, meeting: await ensureMeeting(ctx.models, callId) };
}
