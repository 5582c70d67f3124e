import { useState, type FormEvent } from 'react';
import { MEETING_LIMITS } from '../../../shared/realtime/meetingSchemas';
import type { MeetingState } from '../../../shared/realtime/meetingState';
import { useI18n } from '../../components/i18n/I18nProvider';
import { useViewerZone } from '../auth/useSession';
import type { MeetingSession } from './meetingSession';
import { zonedClock } from './meetingTime';
import { useMeetingAction } from './useMeetingAction';

/** The form in which the current item's moderator writes down a decision as it is taken. */
function DecisionForm({ session, proposalId }: { session: MeetingSession; proposalId: string }) {
  const { t } = useI18n();
  const action = useMeetingAction(session);
  const [outcome, setOutcome] = useState('');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!outcome.trim()) return;
    if (await action.run('meeting:recordDecision', { proposalId, outcome: outcome.trim() })) setOutcome('');
  };
  return (
    <form className="form decision-form" onSubmit={submit}>
      <label className="field">
        <span>{t('meeting.decisions.outcome')}</span>
        <textarea rows={2} maxLength={MEETING_LIMITS.outcome} value={outcome} onChange={(event) => setOutcome(event.target.value)} />
      </label>
      <p className="actions">
        <button type="submit" className="primary" disabled={action.busy || !outcome.trim()}>
          {t('meeting.decisions.record')}
        </button>
      </p>
      {action.error && (
        <p className="field-error" role="alert">
          {action.error}
        </p>
      )}
    </form>
  );
}

/** Decisions recorded in this meeting, oldest first, each with its item, who recorded it and when (in the viewer's zone, named). */
export function DecisionsPanel({ session, state }: { session: MeetingSession; state: MeetingState }) {
  const { t, locale, fmt } = useI18n();
  const zone = useViewerZone();
  const refOf = (proposalId: string) => {
    const entry = state.agenda.find((e) => e.proposalId === proposalId);
    return entry && !entry.conflicted ? entry.ref : t('meeting.decisions.offAgenda');
  };
  const current = state.current && !state.current.conflicted ? state.current : null;
  return (
    <section className="card meeting-decisions" aria-labelledby="decisions-title">
      <h3 id="decisions-title">{t('meeting.decisions.title')}</h3>
      {current && state.you.moderateCurrent && <DecisionForm key={current.proposalId} session={session} proposalId={current.proposalId} />}
      {state.decisions.length === 0 ? (
        <p className="muted">{t('meeting.decisions.empty')}</p>
      ) : (
        <ol className="decision-list">
          {state.decisions.map((decision) => (
            <li key={decision.id}>
              <strong>{refOf(decision.proposalId)}</strong>: <span className="decision-outcome">{decision.outcome}</span>
              <br />
              <span className="muted">
                {t('meeting.decisions.by', {
                  name: decision.recordedBy.name,
                  time: `${fmt.date(decision.at, zone)} ${zonedClock(locale, zone, decision.at)}`,
                })}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
