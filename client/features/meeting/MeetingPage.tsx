import { useEffect, useRef, useState } from 'react';
import type { CallDto } from '../../api/dto';
import { Loading } from '../../components/Feedback';
import { useI18n } from '../../components/i18n/I18nProvider';
import { allows, useCall, useCallId } from '../calls/useCall';
import { AgendaEditor } from './AgendaEditor';
import { AgendaPanel } from './AgendaPanel';
import { AttendancePanel } from './AttendancePanel';
import { DecisionsPanel } from './DecisionsPanel';
import { HandsPanel } from './HandsPanel';
import { ItemPanel } from './ItemPanel';
import { LeaveScreen } from './LeaveScreen';
import type { MeetingSession, MeetingView } from './meetingSession';
import { PollPanel } from './PollPanel';
import { TimerPanel } from './TimerPanel';
import { useMeeting } from './useMeeting';
import { meetingErrorText } from './useMeetingAction';

/** The room once joined: agenda, the item on screen, timer, hands, poll, attendance, decisions. */
function MeetingRoom({ session, view, call }: { session: MeetingSession; view: MeetingView; call: CallDto }) {
  const { t } = useI18n();
  const state = view.state!;
  const [following, setFollowing] = useState(true);
  const [browsed, setBrowsed] = useState<string | null>(null);
  const currentId = state.current?.proposalId ?? null;
  const shownId = following ? currentId : browsed;
  const followChange = (follow: boolean) => {
    // Browsing starts where the person is, so switching does not jump anywhere.
    if (!follow) setBrowsed(currentId ?? state.agenda[0]?.proposalId ?? null);
    setFollowing(follow);
  };
  // Followers hear the new item once, politely, as their screen changes.
  const [announcement, setAnnouncement] = useState('');
  const currentRef = state.current && !state.current.conflicted ? state.current.ref : null;
  useEffect(() => {
    if (following && currentRef) setAnnouncement(t('meeting.item.nowDiscussing', { ref: currentRef }));
  }, [following, currentRef, t]);
  return (
    <>
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
      <div className="meeting-grid">
        <AgendaPanel
          session={session}
          state={state}
          shownId={shownId}
          following={following}
          onFollowChange={followChange}
          onShow={setBrowsed}
        />
        <div className="meeting-main">
          <ItemPanel callId={call.id} state={state} shownId={shownId} following={following} />
          <PollPanel session={session} state={state} call={call} />
          <DecisionsPanel session={session} state={state} />
        </div>
        <div className="meeting-side">
          <TimerPanel session={session} state={state} clockOffsetMs={view.clockOffsetMs} />
          <HandsPanel session={session} state={state} called={view.called} />
          <AttendancePanel state={state} clockOffsetMs={view.clockOffsetMs} />
        </div>
      </div>
      {state.you.moderateMeeting && <AgendaEditor session={session} state={state} callId={call.id} />}
    </>
  );
}

/**
 * The live panel meeting of a call (`calls/:callId/meeting`): joins the meeting on the tab's
 * socket while open, follows the moderator, and shows the leave screen instead of everything
 * while the item under discussion is one the person is conflicted with.
 */
export function MeetingPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const callId = useCallId();
  const call = useCall(callId);
  const { session, view } = useMeeting(callId, allows(call.data, 'meeting:participate'));
  const state = view.state;
  const mustLeave = !!state?.current?.conflicted;
  // Back from the leave screen, the keyboard focus goes to the item now on screen (it was on the removed screen).
  const wasAway = useRef(false);
  useEffect(() => {
    if (wasAway.current && !mustLeave) document.getElementById('item-title')?.focus();
    wasAway.current = mustLeave;
  }, [mustLeave]);
  return (
    <section className="meeting" data-call-id={callId} data-seq={state?.seq ?? ''} aria-labelledby="meeting-title">
      <div className="section-head">
        <h2 id="meeting-title">{t('meeting.title')}</h2>
        {state && !view.joined && !view.joinError && <p className="notice notice-warning">{t('meeting.room.reconnecting')}</p>}
      </div>
      {view.joinError && (
        <div className="notice notice-error" role="alert">
          <p>{meetingErrorText(i18n, view.joinError)}</p>
        </div>
      )}
      {!view.joinError && (!state || !session || !call.data) && <Loading label={t('meeting.room.joining')} />}
      {state && session && call.data &&
        (mustLeave ? (
          // The state alone says a conflicted item is current; its notice (with the reason) follows right after.
          <LeaveScreen requests={view.leaveRequests} reason={view.leaveReason ?? 'conflict'} />
        ) : (
          <MeetingRoom session={session} view={view} call={call.data} />
        ))}
    </section>
  );
}
