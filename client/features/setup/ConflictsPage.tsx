import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { CONFLICT_STATUSES, type ConflictStatus } from '../../../shared/enums';
import { fetchConflicts, resolveConflict } from '../../api/calls';
import type { ConflictDto } from '../../api/dto';
import { queryKeys } from '../../api/queryKeys';
import { ErrorNotice, QueryState } from '../../components/Feedback';
import { useI18n } from '../../components/i18n/I18nProvider';
import { LocalizedText } from '../../components/Localized';
import { useCallId } from '../calls/useCall';

/** Conflicts of interest, declared and proposed automatically, for staff to confirm or dismiss. */
export function ConflictsPage() {
  const { t } = useI18n();
  const client = useQueryClient();
  const callId = useCallId();
  const [status, setStatus] = useState<ConflictStatus | ''>('');
  const conflicts = useQuery({ queryKey: queryKeys.conflicts(callId), queryFn: async () => (await fetchConflicts(callId)).conflicts });
  const resolve = useMutation({
    mutationFn: ({ conflict, to }: { conflict: ConflictDto; to: 'confirmed' | 'dismissed' }) =>
      resolveConflict(conflict.id, { status: to, version: conflict.version }),
    onSuccess: () => {
      client.invalidateQueries({ queryKey: queryKeys.conflicts(callId) });
      client.invalidateQueries({ queryKey: queryKeys.assignments(callId) });
    },
  });
  return (
    <div className="stack">
      <h2>{t('conflicts.title')}</h2>
      <label className="field inline">
        <span>{t('conflicts.filterStatus')}</span>
        <select value={status} onChange={(e) => setStatus(e.target.value as ConflictStatus | '')}>
          <option value="">{t('conflicts.allStatuses')}</option>
          {CONFLICT_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`conflictStatus.${s}`)}
            </option>
          ))}
        </select>
      </label>
      {resolve.error && <ErrorNotice error={resolve.error} />}
      <QueryState query={conflicts}>
        {(list) => {
          const shown = list.filter((c) => !status || c.status === status);
          return shown.length === 0 ? (
            <p className="muted">{t('conflicts.none')}</p>
          ) : (
            <table className="plain">
              <caption className="visually-hidden">{t('conflicts.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('proposals.ref')}</th>
                  <th scope="col">{t('conflicts.person')}</th>
                  <th scope="col">{t('conflict.type')}</th>
                  <th scope="col">{t('conflicts.source')}</th>
                  <th scope="col">{t('conflicts.status')}</th>
                  <th scope="col">{t('conflict.note')}</th>
                  <th scope="col">{t('common.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((conflict) => (
                  <tr key={conflict.id} className={`conflict-${conflict.status}`}>
                    <td>
                      {conflict.proposal?.ref ?? '–'} <LocalizedText className="muted" text={conflict.proposal?.title} />
                    </td>
                    <td>
                      {conflict.person?.name ?? '–'}
                      {conflict.person?.institution && <span className="muted"> · {conflict.person.institution}</span>}
                    </td>
                    <td>{t(`conflictType.${conflict.type}`)}</td>
                    <td>{conflict.source === 'declared' ? t('conflicts.declared') : t('conflicts.automatic')}</td>
                    <td>{t(`conflictStatus.${conflict.status}`)}</td>
                    <td>{conflict.note ?? ''}</td>
                    <td className="actions-cell">
                      {conflict.status !== 'confirmed' && (
                        <button type="button" disabled={resolve.isPending} onClick={() => resolve.mutate({ conflict, to: 'confirmed' })}>
                          {t('conflicts.confirm')}
                        </button>
                      )}
                      {conflict.status !== 'dismissed' && (
                        <button type="button" disabled={resolve.isPending} onClick={() => resolve.mutate({ conflict, to: 'dismissed' })}>
                          {t('conflicts.dismiss')}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          );
        }}
      </QueryState>
    </div>
  );
}
