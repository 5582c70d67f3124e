import { useState } from 'react';
import type { MeetingState, PollView } from '../../../shared/realtime/meetingState';
import type { CallDto } from '../../api/dto';
import { useI18n } from '../../components/i18n/I18nProvider';
import { LocalizedText } from '../../components/Localized';
import type { MeetingSession } from './meetingSession';
import { useMeetingAction } from './useMeetingAction';

/** The poll to show for an item: its open one, else the one closed last. */
function pollOf(state: MeetingState, proposalId: string): PollView | null {
  const polls = state.polls.filter((poll) => poll.proposalId === proposalId);
  return polls.find((poll) => poll.status === 'open') ?? polls.at(-1) ?? null;
}

/** The live distribution: one row per mark with its count printed next to the bar, the viewer's vote marked in words. */
function Distribution({ poll }: { poll: PollView }) {
  const { t, fmt } = useI18n();
  const most = Math.max(1, ...poll.counts);
  return (
    <table className="poll-distribution plain">
      <caption>{t('meeting.poll.distribution', { votes: poll.votes })}</caption>
      <thead>
        <tr>
          <th scope="col">{t('meeting.poll.mark')}</th>
          <th scope="col">{t('meeting.poll.votes')}</th>
          <th scope="col">{t('meeting.poll.bySide')}</th>
        </tr>
      </thead>
      <tbody>
        {poll.values.map((value, i) => {
          const sides = Object.entries(poll.countsByAgency).filter(([, counts]) => counts[i] > 0);
          const mine = poll.myVote === value;
          return (
            <tr key={value} data-value={value} data-count={poll.counts[i]} className={mine ? 'poll-mine' : undefined}>
              <th scope="row" className="num">
                {fmt.score(value)}
                {mine && <span className="tag">{t('meeting.poll.myVote')}</span>}
              </th>
              <td className="poll-bar-cell">
                <div className="poll-bar-line">
                  <span className="poll-bar" style={{ width: `${(poll.counts[i] / most) * 100}%` }} aria-hidden="true" />
                  <span className="poll-count">{fmt.number(poll.counts[i])}</span>
                </div>
              </td>
              <td className="muted">{sides.map(([side, counts]) => `${side} ${fmt.number(counts[i])}`).join(' · ')}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/**
 * The straw poll on a consensus score for the current item: moderators open it on a criterion
 * of the call (its scale gives the options) and close it; participants vote and may change
 * their vote while it is open; everyone sees the distribution live.
 */
export function PollPanel({ session, state, call }: { session: MeetingSession; state: MeetingState; call: CallDto }) {
  const { t, fmt, language } = useI18n();
  const action = useMeetingAction(session);
  const [criterion, setCriterion] = useState(call.criteria[0]?.key ?? '');
  const current = state.current && !state.current.conflicted ? state.current : null;
  if (!current) return null;
  const poll = pollOf(state, current.proposalId);
  const open = poll?.status === 'open';
  const criterionOf = (key: string) => call.criteria.find((c) => c.key === key);
  return (
    <section className="card meeting-poll" aria-labelledby="poll-title" data-poll-id={poll?.id ?? ''}>
      <h3 id="poll-title">{t('meeting.poll.title')}</h3>
      {!poll && <p className="muted">{t('meeting.poll.none')}</p>}
      {poll && (
        <>
          <p className="eyebrow">
            <span className={open ? 'tag tag-now' : 'tag'}>{open ? t('meeting.poll.open') : t('meeting.poll.closed')}</span>
            <span>
              {t('meeting.poll.on')} <LocalizedText text={criterionOf(poll.criterion)?.name ?? { en: poll.criterion }} />
            </span>
          </p>
          {open && state.you.participate && (
            <fieldset className="poll-vote">
              <legend>{t('meeting.poll.castVote')}</legend>
              <div className="actions">
                {poll.values.map((value) => (
                  <button
                    key={value}
                    type="button"
                    aria-pressed={poll.myVote === value}
                    disabled={action.busy}
                    onClick={() => action.run('meeting:vote', { pollId: poll.id, value })}
                  >
                    {fmt.score(value)}
                  </button>
                ))}
              </div>
              <p className="muted">
                {poll.myVote === null ? t('meeting.poll.notVoted') : t('meeting.poll.youVoted', { value: fmt.score(poll.myVote) })}
              </p>
            </fieldset>
          )}
          <Distribution poll={poll} />
        </>
      )}
      {state.you.moderateCurrent && (
        <div className="actions poll-controls">
          {open ? (
            <button type="button" disabled={action.busy} onClick={() => action.run('meeting:closePoll', { pollId: poll.id })}>
              {t('meeting.poll.close')}
            </button>
          ) : (
            <>
              <label className="field inline">
                <span>{t('meeting.poll.criterion')}</span>
                <select value={criterion} onChange={(event) => setCriterion(event.target.value)}>
                  {call.criteria.map((c) => (
                    <option key={c.key} value={c.key}>
                      {c.name[language] || c.name.en}
                    </option>
                  ))}
                </select>
              </label>
              <button
                type="button"
                className="primary"
                disabled={action.busy || !criterion}
                onClick={() => action.run('meeting:openPoll', { proposalId: current.proposalId, criterion })}
              >
                {t('meeting.poll.openPoll')}
              </button>
            </>
          )}
        </div>
      )}
      {action.error && (
        <p className="field-error" role="alert">
          {action.error}
        </p>
      )}
    </section>
  );
}
