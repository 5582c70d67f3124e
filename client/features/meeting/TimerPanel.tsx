import { useEffect, useRef, useState } from 'react';
import { MEETING_LIMITS } from '../../../shared/realtime/meetingSchemas';
import type { MeetingState } from '../../../shared/realtime/meetingState';
import { useI18n } from '../../components/i18n/I18nProvider';
import type { MeetingSession } from './meetingSession';
import { countdownText, timerRemainingMs } from './meetingTime';
import { useNow } from './useMeeting';
import { useMeetingAction } from './useMeetingAction';

const MIN_MINUTES = Math.ceil(MEETING_LIMITS.minTimerSeconds / 60);
const MAX_MINUTES = MEETING_LIMITS.maxTimerSeconds / 60;

/**
 * The current item's timer, counted down from the server's anchor (`runningSince` on the server's
 * clock, corrected by the measured offset). "Time is up" is announced politely once; the digits
 * themselves are not a live region, so screen readers are not read every second.
 */
export function TimerPanel({ session, state, clockOffsetMs }: { session: MeetingSession; state: MeetingState; clockOffsetMs: number }) {
  const { t } = useI18n();
  const action = useMeetingAction(session);
  const now = useNow(250);
  const current = state.current && !state.current.conflicted ? state.current : null;
  const timer = current?.timer ?? null;
  const [minutes, setMinutes] = useState(String(MEETING_LIMITS.defaultTimerSeconds / 60));
  const remaining = timer ? timerRemainingMs(timer, now + clockOffsetMs) : null;
  const running = !!timer?.runningSince;
  const up = running && remaining === 0;
  const [announcement, setAnnouncement] = useState('');
  const announcedFor = useRef<string | null>(null);
  useEffect(() => {
    const anchor = timer ? `${timer.proposalId}|${timer.runningSince}|${timer.remainingMs}` : null;
    if (up && announcedFor.current !== anchor) {
      announcedFor.current = anchor;
      setAnnouncement(t('meeting.timer.upAnnouncement'));
    } else if (!up && announcement) setAnnouncement('');
  }, [up, timer, t, announcement]);

  if (!current) return null;
  const minutesValue = Number(minutes);
  const validMinutes = Number.isInteger(minutesValue) && minutesValue >= MIN_MINUTES && minutesValue <= MAX_MINUTES;
  const proposalId = current.proposalId;
  return (
    <section className="card meeting-timer" aria-labelledby="timer-title">
      <h3 id="timer-title">{t('meeting.timer.title')}</h3>
      <p className={`timer-display${up ? ' timer-up' : ''}`} role="timer" aria-live="off" data-running={running ? 'true' : 'false'}>
        {remaining === null ? <span className="muted">{t('meeting.timer.notSet')}</span> : countdownText(remaining)}
      </p>
      <p className="muted timer-state">
        {remaining === null ? null : up ? <strong className="fail">{t('meeting.timer.up')}</strong> : running ? t('meeting.timer.running') : t('meeting.timer.paused')}
      </p>
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
      {state.you.moderateCurrent && (
        <div className="timer-controls">
          <label className="field inline">
            <span>{t('meeting.timer.minutes')}</span>
            <input
              type="number"
              min={MIN_MINUTES}
              max={MAX_MINUTES}
              step={1}
              value={minutes}
              onChange={(event) => setMinutes(event.target.value)}
              aria-invalid={!validMinutes}
            />
          </label>
          <div className="actions">
            {!running && (
              <button
                type="button"
                className="primary"
                disabled={action.busy || (!timer && !validMinutes)}
                onClick={() =>
                  action.run('meeting:controlTimer', { proposalId, action: 'start', ...(timer ? {} : { durationSeconds: minutesValue * 60 }) })
                }
              >
                {timer ? t('meeting.timer.resume') : t('meeting.timer.start')}
              </button>
            )}
            {running && (
              <button type="button" disabled={action.busy} onClick={() => action.run('meeting:controlTimer', { proposalId, action: 'pause' })}>
                {t('meeting.timer.pause')}
              </button>
            )}
            <button
              type="button"
              disabled={action.busy || !validMinutes}
              onClick={() => action.run('meeting:controlTimer', { proposalId, action: 'reset', durationSeconds: minutesValue * 60 })}
            >
              {t('meeting.timer.reset')}
            </button>
          </div>
          {!validMinutes && <p className="field-error">{t('meeting.timer.minutesRange', { min: MIN_MINUTES, max: MAX_MINUTES })}</p>}
          {action.error && (
            <p className="field-error" role="alert">
              {action.error}
            </p>
          )}
        </div>
      )}
    </section>
  );
}
