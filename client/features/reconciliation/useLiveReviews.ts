import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { ReviewSubmittedEvent } from '../../../shared/realtime/reviewSchemas';
import { queryKeys } from '../../api/queryKeys';
import { realtimeSocket } from '../../realtime/socket';
import { useLiveSubscription } from '../comments/liveSubscription';

/**
 * Keeps a proposal's reconciliation and reviews current while the page is open: subscribed with
 * `review:subscribe`, each `review:submitted` (sent only to people who may read them, without
 * scores) refetches both; so does each (re)subscription, which covers anything missed while the
 * connection was down.
 */
export function useLiveReviews(proposalId: string): void {
  const client = useQueryClient();
  const refresh = () => {
    void client.invalidateQueries({ queryKey: queryKeys.reconciliation(proposalId) });
    void client.invalidateQueries({ queryKey: queryKeys.reviews(proposalId) });
  };
  const refreshRef = useRef(refresh);
  refreshRef.current = refresh;
  useLiveSubscription('review', proposalId ? { proposalId } : null, refresh);
  useEffect(() => {
    if (!proposalId) return;
    const socket = realtimeSocket();
    const onSubmitted = (event: ReviewSubmittedEvent) => {
      if (event.proposalId === proposalId) refreshRef.current();
    };
    socket.on('review:submitted', onSubmitted);
    return () => void socket.off('review:submitted', onSubmitted);
  }, [proposalId]);
}
