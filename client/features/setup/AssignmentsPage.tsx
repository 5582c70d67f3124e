import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { createAssignment, fetchAssignments, removeAssignment } from '../../api/calls';
import { queryKeys } from '../../api/queryKeys';
import { ErrorNotice, QueryState } from '../../components/Feedback';
import { useI18n } from '../../components/i18n/I18nProvider';
import { LocalizedText } from '../../components/Localized';
import { useCallId, useProposals } from '../calls/useCall';

/** Who reviews what: each reviewer's load, assignments per proposal, assigning and removing. */
export function AssignmentsPage() {
  const { t } = useI18n();
  const client = useQueryClient();
  const callId = useCallId();
  const proposals = useProposals(callId);
  const assignments = useQuery({ queryKey: queryKeys.assignments(callId), queryFn: () => fetchAssignments(callId) });
  const [proposalId, setProposalId] = useState('');
  const [reviewerId, setReviewerId] = useState('');
  const [rapporteur, setRapporteur] = useState(false);
  const refresh = () => {
    client.invalidateQueries({ queryKey: queryKeys.assignments(callId) });
    client.invalidateQueries({ queryKey: queryKeys.proposals(callId) });
  };
  const add = useMutation({ mutationFn: () => createAssignment(callId, { proposalId, reviewerId, rapporteur }), onSuccess: refresh });
  const remove = useMutation({ mutationFn: removeAssignment, onSuccess: refresh });
  const onAdd = (event: FormEvent) => {
    event.preventDefault();
    add.mutate();
  };
  return (
    <div className="stack">
      <h2>{t('assignments.title')}</h2>
      <QueryState query={assignments}>
        {({ assignments: list, load }) => (
          <>
            {load && (
              <table className="plain">
                <caption>{t('assignments.load')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('people.name')}</th>
                    <th scope="col">{t('proposal.agency')}</th>
                    <th scope="col" className="num">{t('assignments.assigned')}</th>
                    <th scope="col" className="num">{t('assignments.accepted')}</th>
                  </tr>
                </thead>
                <tbody>
                  {load.map((entry) => (
                    <tr key={entry.reviewerId}>
                      <td>{entry.name}</td>
                      <td>{entry.agency ?? '–'}</td>
                      <td className="num">
                        <meter min={0} max={10} value={Math.min(entry.assigned, 10)} aria-hidden="true" /> {entry.assigned}
                      </td>
                      <td className="num">{entry.accepted}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <form className="form card" onSubmit={onAdd} aria-labelledby="assign-title">
              <h3 id="assign-title">{t('assignments.add')}</h3>
              <label className="field inline">
                <span>{t('assignments.proposal')}</span>
                <select value={proposalId} onChange={(e) => setProposalId(e.target.value)} required>
                  <option value="">{t('assignments.chooseProposal')}</option>
                  {(proposals.data ?? []).map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.ref}
                    </option>
                  ))}
                </select>
              </label>
              <label className="field inline">
                <span>{t('assignments.reviewer')}</span>
                <select value={reviewerId} onChange={(e) => setReviewerId(e.target.value)} required>
                  <option value="">{t('assignments.chooseReviewer')}</option>
                  {(load ?? []).map((entry) => (
                    <option key={entry.reviewerId} value={entry.reviewerId}>
                      {entry.name} ({entry.agency ?? '–'})
                    </option>
                  ))}
                </select>
              </label>
              <label className="check">
                <input type="checkbox" checked={rapporteur} onChange={(e) => setRapporteur(e.target.checked)} />
                {t('assignments.rapporteur')}
              </label>
              {add.error && <ErrorNotice error={add.error} />}
              <button type="submit" className="primary" disabled={!proposalId || !reviewerId || add.isPending}>
                {t('assignments.assign')}
              </button>
            </form>
            {remove.error && <ErrorNotice error={remove.error} />}
            <table className="plain">
              <caption>{t('assignments.all', { count: list.length })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('proposals.ref')}</th>
                  <th scope="col">{t('proposals.titleColumn')}</th>
                  <th scope="col">{t('assignments.reviewer')}</th>
                  <th scope="col">{t('proposal.agency')}</th>
                  <th scope="col">{t('assignments.status')}</th>
                  <th scope="col">{t('common.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {list.map((a) => (
                  <tr key={a.id}>
                    <td>{a.proposal?.ref ?? '–'}</td>
                    <td>
                      <LocalizedText text={a.proposal?.title} />
                    </td>
                    <td>
                      {a.reviewer?.name ?? '–'}
                      {a.rapporteur && <span className="tag">{t('assignments.rapporteurTag')}</span>}
                    </td>
                    <td>{a.agency}</td>
                    <td>{a.acceptedAt ? t('assignments.acceptedStatus') : t('assignments.pendingStatus')}</td>
                    <td>
                      <button type="button" disabled={remove.isPending} onClick={() => remove.mutate(a.id)}>
                        {t('assignments.remove', { name: a.reviewer?.name ?? '', ref: a.proposal?.ref ?? '' })}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </QueryState>
    </div>
  );
}
