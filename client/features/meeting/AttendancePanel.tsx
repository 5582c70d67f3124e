import type { MeetingState } from '../../../shared/realtime/meetingState';
import { useI18n } from '../../components/i18n/I18nProvider';
import { zonedClock } from './meetingTime';
import { useNow } from './useMeeting';

/** Who is in the room: role, agency, and each person's local time with its zone, so a panel across continents knows whose evening it is. */
export function AttendancePanel({ state, clockOffsetMs }: { state: MeetingState; clockOffsetMs: number }) {
  const { t, has, locale } = useI18n();
  const now = useNow(15_000) + clockOffsetMs;
  return (
    <section className="card meeting-attendance" aria-labelledby="attendance-title">
      <h3 id="attendance-title">
        {t('meeting.attendance.title')} <span className="count">({state.attendance.length})</span>
      </h3>
      <ul className="attendance-list">
        {state.attendance.map((person) => {
          const roleKey = `role.${person.role}`;
          return (
            <li key={person.userId} data-user-id={person.userId}>
              <span className="attendee-name">{person.name}</span>
              {person.userId === state.you.userId && <span className="tag">{t('meeting.hands.you')}</span>}
              <span className="attendee-meta muted">
                {has(roleKey) ? t(roleKey) : person.role}
                {' · '}
                {person.agency ?? t('meeting.attendance.noAgency')}
              </span>
              <span className="attendee-clock">{t('meeting.attendance.localTime', { time: zonedClock(locale, person.timeZone, now) })}</span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
