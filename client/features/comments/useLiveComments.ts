import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { CommentDto } from '../../api/comments';
import { applyCommentEvent, commentKeys, useComments, useMarkCommentsRead } from '../../api/comments';
import { fetchMembers } from '../../api/calls';
import { queryKeys } from '../../api/queryKeys';
import { markAccessEnded } from '../../realtime/accessEnded';
import { realtimeSocket } from '../../realtime/socket';
import { useLiveSubscription } from './liveSubscription';
import type { Mentionable } from './threads';

/**
 * The call's members, as people to mention and to recognise in comment text (oneself included:
 * a comment mentioning the reader is marked for them; the server never notifies an author of their own mention).
 */
export function useMentionable(callId: string): Mentionable[] {
  const members = useQuery({ queryKey: queryKeys.members(callId), queryFn: () => fetchMembers(callId) });
  return useMemo(() => (members.data?.members ?? []).map((m) => ({ userId: m.userId, name: m.name, agency: m.agency })), [members.data]);
}

/**
 * A proposal's comments, kept live: subscribed with `comment:subscribe` on the shared socket,
 * `comment:created`/`comment:updated` merged into the cache, refetched after each (re)subscription.
 * While the page is visible, what arrives counts as read (the thread is in view), so the unread
 * badges of the call clear. Returns the list query and the last comment that arrived from someone else.
 */
export function useLiveComments(callId: string, proposalId: string, myId: string | undefined) {
  const client = useQueryClient();
  const comments = useComments(proposalId);
  const markRead = useMarkCommentsRead(callId);
  const [arrived, setArrived] = useState<CommentDto | null>(null);
  const mark = useRef(markRead.mutate);
  mark.current = markRead.mutate;

  useLiveSubscription('comment', { proposalId }, () => {
    void client.invalidateQueries({ queryKey: commentKeys.proposal(proposalId) });
  });

  useEffect(() => {
    const socket = realtimeSocket();
    const onChange = ({ comment }: { comment: CommentDto }) => {
      if (comment.proposalId !== proposalId) return;
      const added = applyCommentEvent(client, comment);
      if (added && comment.author.userId !== myId) {
        setArrived(comment);
        if (document.visibilityState === 'visible') mark.current(proposalId);
        else void client.invalidateQueries({ queryKey: commentKeys.unread(callId) });
      }
    };
    // No longer allowed to read them (removed from the call, or now conflicted): the server ended the
    // subscription; the proposal and the call are fetched again and the page shows the server's answer.
    const onEnded = (event: { proposalId: string }) => {
      if (event.proposalId !== proposalId) return;
      // Whichever of the two now fails to load (the proposal for a conflict, the call too for a removal) says access ended.
      markAccessEnded(client, 'proposal', proposalId);
      markAccessEnded(client, 'call', callId);
      for (const queryKey of [queryKeys.proposal(proposalId), commentKeys.proposal(proposalId), commentKeys.unread(callId), queryKeys.call(callId)]) {
        void client.invalidateQueries({ queryKey });
      }
    };
    socket.on('comment:created', onChange);
    socket.on('comment:updated', onChange);
    socket.on('comment:accessEnded', onEnded);
    return () => {
      socket.off('comment:created', onChange);
      socket.off('comment:updated', onChange);
      socket.off('comment:accessEnded', onEnded);
    };
  }, [client, callId, proposalId, myId]);

  // Viewing the thread reads it: on load with unread comments, and when the tab becomes visible again.
  const unread = comments.data?.unread ?? 0;
  useEffect(() => {
    const readIfVisible = () => {
      if (unread > 0 && document.visibilityState === 'visible') mark.current(proposalId);
    };
    readIfVisible();
    document.addEventListener('visibilitychange', readIfVisible);
    return () => document.removeEventListener('visibilitychange', readIfVisible);
  }, [unread, proposalId]);

  return { comments, arrived };
}
