import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { ApiRequestError } from '../api/http';
import { queryKeys } from '../api/queryKeys';

/** What the server ended this person's live access to: a whole call, or one proposal of it. */
export type AccessScope = 'call' | 'proposal';

/**
 * Remembers that the server ended this person's live access (`meeting:accessEnded`,
 * `comment:accessEnded`). Call it before refetching what the page shows: the refetch then fails
 * (the API answers not found to people without access), and the page can say why.
 */
export function markAccessEnded(client: QueryClient, scope: AccessScope, id: string): void {
  client.setQueryData(queryKeys.accessEnded(scope, id), true);
}

/**
 * Whether `error`, the failed fetch of that call or proposal, follows the server ending the person's
 * access: then the page says their access ended, not the generic "not found, the link may have
 * expired" (they followed no link).
 */
export function useAccessEnded(scope: AccessScope, id: string, error: unknown): boolean {
  const client = useQueryClient();
  if (!(error instanceof ApiRequestError) || (error.code !== 'not_found' && error.code !== 'forbidden')) return false;
  return client.getQueryData(queryKeys.accessEnded(scope, id)) === true;
}
