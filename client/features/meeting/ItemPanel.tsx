import { Link } from 'react-router';
import type { MeetingState } from '../../../shared/realtime/meetingState';
import { useI18n } from '../../components/i18n/I18nProvider';
import { useViewerZone } from '../auth/useSession';
import { zonedClock } from './meetingTime';

/**
 * The essentials of the item on the person's screen: reference, title in both languages, the
 * agencies involved, and links to its reconciliation and consensus report (in a new tab, so the
 * meeting stays open). For the current item its moderators also see who must leave the room.
 */
export function ItemPanel({ callId, state, shownId, following }: { callId: string; state: MeetingState; shownId: string | null; following: boolean }) {
  const { t, locale } = useI18n();
  const zone = useViewerZone();
  const entry = shownId ? state.agenda.find((e) => e.proposalId === shownId) : undefined;
  const current = state.current && !state.current.conflicted && state.current.proposalId === shownId ? state.current : null;
  const status = current ? t('meeting.item.underDiscussion') : following ? null : t('meeting.item.browsed');
  return (
    <section
      className="card meeting-item"
      aria-labelledby="item-title"
      data-proposal-id={shownId ?? ''}
      data-following={following ? 'true' : 'false'}
    >
      <p className="eyebrow">
        {status && <span className={current ? 'tag tag-now' : 'tag'}>{status}</span>}
        {current && <span className="muted">{t('meeting.item.since', { time: zonedClock(locale, zone, current.startedAt) })}</span>}
      </p>
      {!shownId && (
        <>
          <h3 id="item-title" tabIndex={-1}>{t('meeting.item.none')}</h3>
          <p className="muted">{t('meeting.item.noneHint')}</p>
        </>
      )}
      {shownId && (!entry || entry.conflicted) && (
        <>
          <h3 id="item-title" tabIndex={-1}>{t('meeting.item.withheldTitle')}</h3>
          <p>{t('meeting.item.withheld')}</p>
        </>
      )}
      {entry && !entry.conflicted && (
        <>
          <h3 id="item-title" tabIndex={-1}>
            <span className="item-ref">{entry.ref}</span>
          </h3>
          <dl className="facts item-titles">
            <dt>{t('meeting.item.titleEn')}</dt>
            <dd lang="en">{entry.title.en ?? <span className="muted">{t('proposal.notGiven')}</span>}</dd>
            <dt>{t('meeting.item.titleJa')}</dt>
            <dd lang="ja">{entry.title.ja ?? <span className="muted">{t('proposal.notGiven')}</span>}</dd>
            <dt>{t('meeting.item.agencies')}</dt>
            <dd>{entry.agencies.join(' · ')}</dd>
          </dl>
          <p className="actions">
            <Link to={`/calls/${callId}/proposals/${entry.proposalId}/reconciliation`} target="_blank" rel="noopener">
              {t('meeting.item.reconciliation')}
              <span className="visually-hidden"> {t('meeting.item.newTab')}</span>
            </Link>
            <Link to={`/calls/${callId}/proposals/${entry.proposalId}/report`} target="_blank" rel="noopener">
              {t('meeting.item.report')}
              <span className="visually-hidden"> {t('meeting.item.newTab')}</span>
            </Link>
          </p>
          {current?.mustLeave && (
            <div className="must-leave">
              <h4>{t('meeting.item.mustLeaveTitle')}</h4>
              {current.mustLeave.length === 0 ? (
                <p className="muted">{t('meeting.item.mustLeaveNone')}</p>
              ) : (
                <ul>
                  {current.mustLeave.map((person) => (
                    <li key={person.userId}>
                      {person.name} — {person.present ? <strong>{t('meeting.item.stillPresent')}</strong> : t('meeting.item.away')}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          )}
        </>
      )}
    </section>
  );
}
