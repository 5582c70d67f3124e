import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { queryKeys } from '../../api/queryKeys';
import { markAccessEnded } from '../../realtime/accessEnded';
import { realtimeSocket } from '../../realtime/socket';
import { MeetingSession, type MeetingView } from './meetingSession';

const EMPTY: MeetingView = { state: null, clockOffsetMs: 0, called: null, leaveRequests: 0, leaveReason: null, joined: false, joinError: null };
const noSubscription = () => () => {};
const emptySnapshot = () => EMPTY;

/**
 * Joins the call's meeting on the tab's one socket while the screen is mounted (and leaves on
 * unmount); re-renders on every applied change.
 */
export function useMeeting(callId: string, roleParticipates: boolean): { session: MeetingSession | null; view: MeetingView } {
  const [session, setSession] = useState<MeetingSession | null>(null);
  const client = useQueryClient();
  useEffect(() => {
    // Taken out of the meeting (removed from the call): everything of the call is fetched again,
    // and the page says access ended (the call's 404) instead of showing a meeting it cannot follow.
    const socket = realtimeSocket();
    const ended = (event: { callId: string }) => {
      if (event.callId !== callId) return;
      markAccessEnded(client, 'call', callId);
      void client.invalidateQueries({ queryKey: queryKeys.call(callId) });
    };
    socket.on('meeting:accessEnded', ended);
    return () => void socket.off('meeting:accessEnded', ended);
  }, [client, callId]);
  useEffect(() => {
    const next = new MeetingSession(realtimeSocket(), callId, roleParticipates);
    next.start();
    setSession(next);
    return () => {
      next.stop();
      setSession(null);
    };
  }, [callId, roleParticipates]);
  const view = useSyncExternalStore(session?.subscribe ?? noSubscription, session?.snapshot ?? emptySnapshot);
  return { session, view };
}

/** The time now, refreshed every `intervalMs` (countdowns, attendees' local clocks). */
export function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(id);
  }, [intervalMs]);
  return now;
}
