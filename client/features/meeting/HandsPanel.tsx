import type { MeetingPerson, MeetingState } from '../../../shared/realtime/meetingState';
import { useI18n } from '../../components/i18n/I18nProvider';
import { useViewerZone } from '../auth/useSession';
import type { MeetingSession } from './meetingSession';
import { zonedClock } from './meetingTime';
import { useMeetingAction } from './useMeetingAction';

/**
 * The hand-raise queue in order. Anyone who may speak raises or lowers their own hand; whoever
 * moderates the floor calls the next person, lowers a hand or clears the queue. Who was given
 * the floor is announced politely.
 */
export function HandsPanel({ session, state, called }: { session: MeetingSession; state: MeetingState; called: MeetingPerson | null }) {
  const { t, locale } = useI18n();
  const zone = useViewerZone();
  const action = useMeetingAction(session);
  const myHand = state.hands.findIndex((hand) => hand.userId === state.you.userId);
  const moderates = state.you.moderateCurrent || (state.you.moderateMeeting && !state.current);
  return (
    <section className="card meeting-hands" aria-labelledby="hands-title">
      <h3 id="hands-title">
        {t('meeting.hands.title')} <span className="count">({state.hands.length})</span>
      </h3>
      <p role="status" aria-live="polite" className="hands-called">
        {called ? t('meeting.hands.floor', { name: called.name }) : ''}
      </p>
      {state.you.participate && (
        <p className="actions">
          {myHand < 0 ? (
            <button type="button" className="primary" disabled={action.busy} onClick={() => action.run('meeting:raiseHand', {})}>
              {t('meeting.hands.raise')}
            </button>
          ) : (
            <>
              <span>{t('meeting.hands.position', { position: myHand + 1 })}</span>
              <button type="button" disabled={action.busy} onClick={() => action.run('meeting:lowerHand', {})}>
                {t('meeting.hands.lower')}
              </button>
            </>
          )}
        </p>
      )}
      {state.hands.length === 0 ? (
        <p className="muted">{t('meeting.hands.empty')}</p>
      ) : (
        <ol className="hands-list">
          {state.hands.map((hand) => (
            <li key={hand.userId} data-user-id={hand.userId}>
              <span className="hand-name">{hand.name}</span>
              {hand.userId === state.you.userId && <span className="tag">{t('meeting.hands.you')}</span>}
              <span className="muted"> {zonedClock(locale, zone, hand.raisedAt)}</span>
              {moderates && hand.userId !== state.you.userId && (
                <button
                  type="button"
                  className="link-button"
                  disabled={action.busy}
                  onClick={() => action.run('meeting:lowerHand', { userId: hand.userId })}
                >
                  {t('meeting.hands.lowerFor', { name: hand.name })}
                </button>
              )}
            </li>
          ))}
        </ol>
      )}
      {moderates && (
        <p className="actions">
          <button type="button" className="primary" disabled={action.busy || state.hands.length === 0} onClick={() => action.run('meeting:callNext', {})}>
            {t('meeting.hands.callNext')}
          </button>
          <button type="button" disabled={action.busy || state.hands.length === 0} onClick={() => action.run('meeting:clearHands', {})}>
            {t('meeting.hands.clear')}
          </button>
        </p>
      )}
      {action.error && (
        <p className="field-error" role="alert">
          {action.error}
        </p>
      )}
    </section>
  );
}
