import type { CallAccess } from '../../policies/access.js';

/**
 * Comment visibility, on top of the `comment:read` policy (which already keeps conflicted people
 * and outsiders out): a panel thread is for everyone the policy lets in; an agency thread only for
 * members of that agency's side.
 */
export function commentVisibleTo(access: CallAccess, comment: { visibility: string; agency?: string | null }): boolean {
  if (comment.visibility === 'panel') return true;
  const agency = access.membership?.agency;
  return !!agency && agency === comment.agency;
}

/** The same rule as a query filter, for lists, search and unread counts. */
export function visibleCommentsFilter(access: CallAccess): Record<string, unknown> {
  const agency = access.membership?.agency;
  return agency ? { $or: [{ visibility: 'panel' }, { visibility: 'agency', agency }] } : { visibility: 'panel' };
}
