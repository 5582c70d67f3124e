import { useEffect, useRef, useState } from 'react';
import { MEETING_LIMITS } from '../../../shared/realtime/meetingSchemas';
import type { MeetingState } from '../../../shared/realtime/meetingState';
import type { ProposalSummaryDto } from '../../api/dto';
import { useI18n } from '../../components/i18n/I18nProvider';
import { LocalizedText } from '../../components/Localized';
import { useProposals } from '../calls/useCall';
import type { MeetingSession } from './meetingSession';
import { useMeetingAction } from './useMeetingAction';

const sameOrder = (a: string[], b: string[]) => a.length === b.length && a.every((id, i) => id === b[i]);

/**
 * The moderator's agenda builder: the call's proposals added, removed and put in order with
 * buttons (Up/Down keep the focus on the moved proposal, and the move is announced), then saved
 * in one `meeting:setAgenda`. Edits by another moderator replace the draft unless it was changed here.
 */
export function AgendaEditor({ session, state, callId }: { session: MeetingSession; state: MeetingState; callId: string }) {
  const { t } = useI18n();
  const proposals = useProposals(callId);
  const action = useMeetingAction(session);
  const saved = state.agenda.map((e) => e.proposalId);
  const [draft, setDraft] = useState<string[]>(saved);
  const [dirty, setDirty] = useState(false);
  const [announcement, setAnnouncement] = useState('');
  const focusAfter = useRef<string | null>(null);
  const savedKey = saved.join(',');
  useEffect(() => {
    if (!dirty) setDraft(savedKey ? savedKey.split(',') : []);
  }, [savedKey, dirty]);
  useEffect(() => {
    if (!focusAfter.current) return;
    document.querySelector<HTMLButtonElement>(focusAfter.current)?.focus();
    focusAfter.current = null;
  });

  const byId = new Map<string, ProposalSummaryDto>((proposals.data ?? []).map((p) => [p.id, p]));
  const label = (id: string) => byId.get(id)?.ref ?? t('meeting.agenda.withheld');
  const change = (next: string[]) => {
    setDraft(next);
    setDirty(!sameOrder(next, saved));
  };
  const move = (id: string, by: -1 | 1) => {
    const from = draft.indexOf(id);
    const to = from + by;
    if (to < 0 || to >= draft.length) return;
    const next = [...draft];
    next.splice(from, 1);
    next.splice(to, 0, id);
    change(next);
    setAnnouncement(t('meeting.editor.moved', { ref: label(id), position: to + 1, count: next.length }));
    const edge = (by < 0 && to === 0) || (by > 0 && to === next.length - 1);
    focusAfter.current = `[data-editor-id="${id}"] .move-${edge ? (by < 0 ? 'down' : 'up') : by < 0 ? 'up' : 'down'}`;
  };
  const absent = (proposals.data ?? []).filter((p) => !draft.includes(p.id));
  const save = async () => {
    if (await action.run('meeting:setAgenda', { proposalIds: draft })) {
      setDirty(false);
      setAnnouncement(t('meeting.editor.saved'));
    }
  };
  return (
    <details className="card agenda-editor" open={state.agenda.length === 0}>
      <summary>
        <h3 id="editor-title">{t('meeting.editor.title')}</h3>
      </summary>
      <p className="muted">{t('meeting.editor.hint', { max: MEETING_LIMITS.agendaItems })}</p>
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
      <ol className="editor-list" aria-labelledby="editor-title">
        {draft.map((id, i) => {
          const proposal = byId.get(id);
          return (
            <li key={id} data-editor-id={id} className="editor-row-item">
              <span className="editor-label">
                <span className="agenda-ref">{label(id)}</span> {proposal && <LocalizedText text={proposal.title} />}
              </span>
              <span className="reorder">
                <button type="button" className="move-up" disabled={i === 0} onClick={() => move(id, -1)}>
                  ↑<span className="visually-hidden"> {t('meeting.editor.up', { ref: label(id) })}</span>
                </button>
                <button type="button" className="move-down" disabled={i === draft.length - 1} onClick={() => move(id, 1)}>
                  ↓<span className="visually-hidden"> {t('meeting.editor.down', { ref: label(id) })}</span>
                </button>
                <button type="button" onClick={() => change(draft.filter((other) => other !== id))}>
                  {t('common.remove')}
                  <span className="visually-hidden"> {label(id)}</span>
                </button>
              </span>
            </li>
          );
        })}
      </ol>
      {absent.length > 0 && (
        <>
          <h4>{t('meeting.editor.notOnAgenda')}</h4>
          <ul className="editor-list">
            {absent.map((proposal) => (
              <li key={proposal.id} className="editor-row-item">
                <span className="editor-label">
                  <span className="agenda-ref">{proposal.ref}</span> <LocalizedText text={proposal.title} />
                </span>
                <button type="button" onClick={() => change([...draft, proposal.id])}>
                  {t('meeting.editor.add')}
                  <span className="visually-hidden"> {proposal.ref}</span>
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      <p className="actions">
        <button type="button" className="primary" disabled={!dirty || action.busy} onClick={save}>
          {t('meeting.editor.save')}
        </button>
        <button type="button" disabled={!dirty || action.busy} onClick={() => change(saved)}>
          {t('meeting.editor.discard')}
        </button>
        {dirty && <span className="muted">{t('meeting.editor.unsaved')}</span>}
      </p>
      {action.error && (
        <p className="field-error" role="alert">
          {action.error}
        </p>
      )}
    </details>
  );
}
