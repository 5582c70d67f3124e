import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { fetchAudit, fetchMembers, type AuditFilters } from '../../api/calls';
import { queryKeys } from '../../api/queryKeys';
import { ErrorNotice, Loading } from '../../components/Feedback';
import { useI18n } from '../../components/i18n/I18nProvider';
import { useViewerZone } from '../auth/useSession';
import { useCall, useCallId, useProposals } from '../calls/useCall';
import { fromZonedInput } from '../setup/zonedTime';
import { AUDIT_ACTIONS } from './auditActions';

const PAGE = 50;

interface FilterForm {
  action: string;
  proposalId: string;
  actorId: string;
  from: string;
  to: string;
}

const EMPTY: FilterForm = { action: '', proposalId: '', actorId: '', from: '', to: '' };

/** The call's append-only audit log (who, when, what, before and after), newest first, with filters. */
export function AuditPage() {
  const { t, fmt, has } = useI18n();
  const zone = useViewerZone();
  const callId = useCallId();
  const call = useCall(callId);
  const proposals = useProposals(callId);
  const members = useQuery({ queryKey: queryKeys.members(callId), queryFn: () => fetchMembers(callId) });
  const [form, setForm] = useState<FilterForm>(EMPTY);
  const [filters, setFilters] = useState<AuditFilters>({});
  const log = useInfiniteQuery({
    queryKey: queryKeys.audit(callId, filters),
    queryFn: ({ pageParam }) => fetchAudit(callId, { ...filters, offset: pageParam, limit: PAGE }),
    initialPageParam: 0,
    getNextPageParam: (last) => last.nextOffset ?? undefined,
  });
  const apply = (event: FormEvent) => {
    event.preventDefault();
    const from = form.from ? fromZonedInput(form.from, zone) : null;
    const to = form.to ? fromZonedInput(form.to, zone) : null;
    setFilters({
      ...(form.action ? { action: form.action } : {}),
      ...(form.proposalId ? { proposalId: form.proposalId } : {}),
      ...(form.actorId ? { actorId: form.actorId } : {}),
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
    });
  };
  const refOf = (id: string | null) => (id ? (proposals.data?.find((p) => p.id === id)?.ref ?? '–') : '–');
  const actionLabel = (action: string) => {
    const key = `audit.action.${action}`;
    return has(key) ? t(key) : action;
  };
  const entries = log.data?.pages.flatMap((page) => page.entries) ?? [];
  return (
    <div className="stack">
      <h2>{t('audit.title')}</h2>
      <form className="filters card" onSubmit={apply} aria-label={t('audit.filters')}>
        <label className="field inline">
          <span>{t('audit.action')}</span>
          <select value={form.action} onChange={(e) => setForm({ ...form, action: e.target.value })}>
            <option value="">{t('audit.allActions')}</option>
            {AUDIT_ACTIONS.map((action) => (
              <option key={action} value={action}>
                {actionLabel(action)}
              </option>
            ))}
          </select>
        </label>
        <label className="field inline">
          <span>{t('audit.proposal')}</span>
          <select value={form.proposalId} onChange={(e) => setForm({ ...form, proposalId: e.target.value })}>
            <option value="">{t('audit.allProposals')}</option>
            {(proposals.data ?? []).map((p) => (
              <option key={p.id} value={p.id}>
                {p.ref}
              </option>
            ))}
          </select>
        </label>
        <label className="field inline">
          <span>{t('audit.actor')}</span>
          <select value={form.actorId} onChange={(e) => setForm({ ...form, actorId: e.target.value })}>
            <option value="">{t('audit.allActors')}</option>
            {(members.data?.members ?? []).map((m) => (
              <option key={m.userId} value={m.userId}>
                {m.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field inline">
          <span>{t('audit.from', { zone })}</span>
          <input type="datetime-local" value={form.from} onChange={(e) => setForm({ ...form, from: e.target.value })} />
        </label>
        <label className="field inline">
          <span>{t('audit.to', { zone })}</span>
          <input type="datetime-local" value={form.to} onChange={(e) => setForm({ ...form, to: e.target.value })} />
        </label>
        <div className="actions">
          <button type="submit" className="primary">
            {t('audit.apply')}
          </button>
          <button type="button" onClick={() => { setForm(EMPTY); setFilters({}); }}>
            {t('audit.clear')}
          </button>
        </div>
      </form>
      {log.isPending ? (
        <Loading />
      ) : log.error ? (
        <ErrorNotice error={log.error} onRetry={() => log.refetch()} />
      ) : entries.length === 0 ? (
        <p className="muted audit-empty">{t('audit.empty')}</p>
      ) : (
        <table className="plain audit-table">
          <caption>{t('audit.caption', { zone, callZone: call.data?.timeZone ?? '' })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('audit.when')}</th>
              <th scope="col">{t('audit.actor')}</th>
              <th scope="col">{t('audit.action')}</th>
              <th scope="col">{t('audit.proposal')}</th>
              <th scope="col">{t('audit.change')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.id} data-action={entry.action}>
                <td>
                  <time dateTime={entry.at}>{fmt.dateTime(entry.at, zone)}</time>
                  {call.data && call.data.timeZone !== zone && <div className="muted">{fmt.dateTime(entry.at, call.data.timeZone)}</div>}
                </td>
                <td>{entry.actor.name}</td>
                <td>{actionLabel(entry.action)}</td>
                <td>{refOf(entry.proposalId)}</td>
                <td>
                  <details>
                    <summary>{t('audit.showChange')}</summary>
                    <div className="diff">
                      <div>
                        <h4>{t('audit.before')}</h4>
                        <pre>{JSON.stringify(entry.before, null, 2)}</pre>
                      </div>
                      <div>
                        <h4>{t('audit.after')}</h4>
                        <pre>{JSON.stringify(entry.after, null, 2)}</pre>
                      </div>
                    </div>
                  </details>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {log.hasNextPage && (
        <button type="button" onClick={() => log.fetchNextPage()} disabled={log.isFetchingNextPage}>
          {log.isFetchingNextPage ? t('common.loading') : t('audit.more')}
        </button>
      )}
    </div>
  );
}
