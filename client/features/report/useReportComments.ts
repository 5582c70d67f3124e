import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { CommentDto } from '../../../shared/schemas/comment';
import { applyCommentEvent, commentKeys, useComments } from '../../api/comments';
import { realtimeSocket } from '../../realtime/socket';
import { useLiveSubscription } from '../comments/liveSubscription';

/**
 * The proposal's comments, kept live over the tab's shared socket. The subscription is shared
 * (reference-counted) with the proposal's comment aside, so leaving one does not cut off the other.
 */
export function useReportComments(proposalId: string) {
  const client = useQueryClient();
  const comments = useComments(proposalId);
  useLiveSubscription('comment', { proposalId }, () => {
    // Events may have been missed before the subscription was accepted.
    void client.invalidateQueries({ queryKey: commentKeys.proposal(proposalId) });
  });
  useEffect(() => {
    const socket = realtimeSocket();
    const onComment = ({ comment }: { comment: CommentDto }) => {
      if (comment.proposalId === proposalId) applyCommentEvent(client, comment);
    };
    socket.on('comment:created', onComment);
    socket.on('comment:updated', onComment);
    return () => {
      socket.off('comment:created', onComment);
      socket.off('comment:updated', onComment);
    };
  }, [client, proposalId]);
  return comments;
}
