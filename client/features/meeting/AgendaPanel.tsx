import type { AgendaEntry, MeetingState } from '../../../shared/realtime/meetingState';
import { useI18n } from '../../components/i18n/I18nProvider';
import { LocalizedText } from '../../components/Localized';
import type { MeetingSession } from './meetingSession';
import { useMeetingAction } from './useMeetingAction';

interface AgendaPanelProps {
  session: MeetingSession;
  state: MeetingState;
  /** The item on the person's screen (the current one while following). */
  shownId: string | null;
  following: boolean;
  onFollowChange(following: boolean): void;
  onShow(proposalId: string): void;
}

function EntryLabel({ entry }: { entry: AgendaEntry }) {
  const { t } = useI18n();
  if (entry.conflicted) return <span className="muted">{t('meeting.agenda.withheld')}</span>;
  return (
    <>
      <span className="agenda-ref">{entry.ref}</span> <LocalizedText text={entry.title} className="agenda-title" />
    </>
  );
}

/**
 * The agenda in discussion order with the current item marked (in words, not colour only). The
 * person follows the moderator, or browses freely: then each item can be opened, and "Back to
 * the current item" follows again. Moderators move everyone from here.
 */
export function AgendaPanel({ session, state, shownId, following, onFollowChange, onShow }: AgendaPanelProps) {
  const { t } = useI18n();
  const action = useMeetingAction(session);
  const currentId = state.current?.proposalId ?? null;
  const canMove = state.you.moderateMeeting || state.you.moderateCurrent;
  const index = currentId ? state.agenda.findIndex((e) => e.proposalId === currentId) : -1;
  const next = state.agenda.slice(index + 1).find((e) => !e.conflicted);
  const setCurrent = (proposalId: string | null) => action.run('meeting:setCurrent', { proposalId });
  return (
    <section className="card meeting-agenda" aria-labelledby="agenda-title">
      <h3 id="agenda-title">{t('meeting.agenda.title')}</h3>
      <div className="agenda-follow">
        <label className="check">
          <input
            type="checkbox"
            role="switch"
            checked={!following}
            onChange={(event) => onFollowChange(!event.target.checked)}
            data-testid="browse-switch"
          />
          {t('meeting.agenda.browse')}
        </label>
        {!following && currentId && (
          <button type="button" onClick={() => onFollowChange(true)} data-testid="back-to-current">
            {t('meeting.agenda.backToCurrent')}
          </button>
        )}
      </div>
      <p className="muted agenda-mode" aria-live="polite">
        {following ? t('meeting.agenda.following') : t('meeting.agenda.browsing')}
      </p>
      {canMove && (
        <div className="actions">
          {next && (
            <button type="button" className="primary" disabled={action.busy} onClick={() => setCurrent(next.proposalId)}>
              {t('meeting.agenda.next')}
            </button>
          )}
          {currentId && (
            <button type="button" disabled={action.busy} onClick={() => setCurrent(null)}>
              {t('meeting.agenda.end')}
            </button>
          )}
        </div>
      )}
      {action.error && (
        <p className="field-error" role="alert">
          {action.error}
        </p>
      )}
      {state.agenda.length === 0 ? (
        <p className="muted">{t('meeting.agenda.empty')}</p>
      ) : (
        <ol className="agenda-list">
          {state.agenda.map((entry) => {
            const current = entry.proposalId === currentId;
            const shown = entry.proposalId === shownId;
            return (
              <li
                key={entry.proposalId}
                data-proposal-id={entry.proposalId}
                className={`agenda-entry${current ? ' agenda-current' : ''}${shown ? ' agenda-shown' : ''}`}
                aria-current={current ? 'step' : undefined}
              >
                {following ? (
                  <span className="agenda-label">
                    <EntryLabel entry={entry} />
                  </span>
                ) : (
                  <button type="button" className="agenda-open" aria-pressed={shown} onClick={() => onShow(entry.proposalId)}>
                    <EntryLabel entry={entry} />
                  </button>
                )}
                {current && <span className="tag tag-now">{t('meeting.agenda.now')}</span>}
                {canMove && !current && !entry.conflicted && (
                  <button type="button" className="agenda-discuss" disabled={action.busy} onClick={() => setCurrent(entry.proposalId)}>
                    {t('meeting.agenda.discuss')}
                    <span className="visually-hidden"> {entry.ref}</span>
                  </button>
                )}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
