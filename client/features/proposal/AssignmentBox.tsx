import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { CONFLICT_TYPES, type ConflictType } from '../../../shared/enums';
import { LIMITS } from '../../../shared/limits';
import { acceptAssignment, declareConflict } from '../../api/calls';
import type { ProposalDto } from '../../api/dto';
import { queryKeys } from '../../api/queryKeys';
import { ErrorNotice, Notice } from '../../components/Feedback';
import { useI18n } from '../../components/i18n/I18nProvider';
import { useViewerZone } from '../auth/useSession';
import { proposalAllows } from './useProposal';

/** My assignment (accepting certifies having no conflict) and declaring a conflict with the proposal. */
export function AssignmentBox({ proposal, callId }: { proposal: ProposalDto; callId: string }) {
  const { t, fmt } = useI18n();
  const zone = useViewerZone();
  const client = useQueryClient();
  const [certified, setCertified] = useState(false);
  const [type, setType] = useState<ConflictType>('institutional');
  const [note, setNote] = useState('');
  const assignment = proposal.me.assignment;
  const accept = useMutation({
    mutationFn: () => acceptAssignment(assignment!.id),
    onSuccess: () => {
      client.invalidateQueries({ queryKey: queryKeys.proposal(proposal.id) });
      client.invalidateQueries({ queryKey: queryKeys.calls });
    },
  });
  const declare = useMutation({
    mutationFn: () => declareConflict({ proposalId: proposal.id, type, ...(note.trim() ? { note: note.trim() } : {}) }),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.conflicts(callId) }),
  });
  const onDeclare = (event: FormEvent) => {
    event.preventDefault();
    if (window.confirm(t('conflict.confirmDeclare'))) declare.mutate();
  };
  if (!assignment && !proposalAllows(proposal, 'conflict:declare')) return null;
  return (
    <section className="card assignment-box" aria-labelledby="assignment-title">
      <h3 id="assignment-title">{t('assignment.title')}</h3>
      {assignment ? (
        <>
          <p>
            {assignment.rapporteur ? t('assignment.asRapporteur') : t('assignment.asReviewer')}
            {assignment.acceptedAt && (
              <>
                {' · '}
                {t('assignment.acceptedAt', { when: fmt.dateTime(assignment.acceptedAt, zone) })}
              </>
            )}
          </p>
          {!assignment.acceptedAt && proposalAllows(proposal, 'assignment:accept') && (
            <div className="accept">
              <label className="check">
                <input type="checkbox" checked={certified} onChange={(e) => setCertified(e.target.checked)} />
                {t('assignment.certify')}
              </label>
              <button type="button" className="primary" disabled={!certified || accept.isPending} onClick={() => accept.mutate()}>
                {t('assignment.accept')}
              </button>
              {accept.error && <ErrorNotice error={accept.error} />}
            </div>
          )}
        </>
      ) : (
        <p className="muted">{t('assignment.none')}</p>
      )}
      {proposalAllows(proposal, 'conflict:declare') && (
        <details className="declare-conflict">
          <summary>{t('conflict.declareTitle')}</summary>
          {declare.isSuccess ? (
            <Notice tone="success">{t('conflict.declared')}</Notice>
          ) : (
            <form className="form" onSubmit={onDeclare}>
              <label className="field">
                <span>{t('conflict.type')}</span>
                <select value={type} onChange={(e) => setType(e.target.value as ConflictType)}>
                  {CONFLICT_TYPES.map((kind) => (
                    <option key={kind} value={kind}>
                      {t(`conflictType.${kind}`)}
                    </option>
                  ))}
                </select>
              </label>
              <label className="field">
                <span>{type === 'other' ? t('conflict.noteRequired') : t('conflict.note')}</span>
                <textarea rows={2} maxLength={LIMITS.reason} value={note} onChange={(e) => setNote(e.target.value)} required={type === 'other'} />
              </label>
              {declare.error && <ErrorNotice error={declare.error} />}
              <button type="submit" disabled={declare.isPending || (type === 'other' && !note.trim())}>
                {t('conflict.declare')}
              </button>
            </form>
          )}
        </details>
      )}
    </section>
  );
}
