import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { PROGRAMMES } from '../../../shared/programmes';
import type { ProgrammeType } from '../../../shared/enums';
import { fetchCalls } from '../../api/calls';
import type { CallSummaryDto } from '../../api/dto';
import { queryKeys } from '../../api/queryKeys';
import { DeadlineZones } from '../../components/DeadlineZones';
import { QueryState } from '../../components/Feedback';
import { useI18n } from '../../components/i18n/I18nProvider';
import { LocalizedText } from '../../components/Localized';
import { useMe } from '../auth/useSession';

function CallCard({ call, viewerZone }: { call: CallSummaryDto; viewerZone: string }) {
  const { t } = useI18n();
  const programme = PROGRAMMES[call.programme as ProgrammeType];
  const reviews = call.todo.reviewsToSubmit ?? 0;
  const accept = call.todo.assignmentsToAccept ?? 0;
  return (
    <li className="card call-card" data-call-id={call.id}>
      <h2>
        <Link to={`/calls/${call.id}`}>
          <LocalizedText text={call.title} />
        </Link>
      </h2>
      <p className="meta">
        {programme && <LocalizedText text={programme.name} />}
        <span className={`phase-badge phase-${call.phase}`}>{t(`phase.${call.phase}`)}</span>
        {call.myRole && <span className="role-badge">{t(`role.${call.myRole}`)}</span>}
        <span className="muted">{call.agencies.map((agency) => agency.code).join(' · ')}</span>
      </p>
      {call.nextDeadline ? (
        <DeadlineZones
          phase={call.nextDeadline.phase}
          deadline={call.nextDeadline.deadline}
          zones={[
            { who: 'viewer', timeZone: viewerZone },
            ...call.agencies.map((agency) => ({ who: { agency: agency.code }, timeZone: agency.timeZone })),
          ]}
        />
      ) : (
        <p className="muted">{t('calls.noDeadline')}</p>
      )}
      <div className="todo">
        <h3>{t('calls.todoTitle')}</h3>
        {reviews === 0 && accept === 0 ? (
          <p className="muted">{t('calls.todoNothing')}</p>
        ) : (
          <ul>
            {accept > 0 && <li>{t('calls.todoAccept', { count: accept })}</li>}
            {reviews > 0 && <li>{t('calls.todoReviews', { count: reviews })}</li>}
          </ul>
        )}
      </div>
    </li>
  );
}

/** The calls I have a role in: phase, next deadline in my zone and each agency's, and what I still have to do. */
export function MyCallsPage() {
  const { t } = useI18n();
  const me = useMe();
  const calls = useQuery({ queryKey: queryKeys.calls, queryFn: async () => (await fetchCalls()).calls });
  const viewerZone = me.data?.timeZone ?? 'UTC';
  return (
    <section aria-labelledby="calls-title">
      <h1 id="calls-title">{t('calls.title')}</h1>
      <p className="muted">{t('calls.zoneNote', { zone: viewerZone })}</p>
      {me.data?.isAdmin && (
        <p>
          <Link className="button" to="/calls/new">
            {t('platform.callNew.link')}
          </Link>
        </p>
      )}
      <QueryState query={calls}>
        {(list) =>
          list.length === 0 ? (
            <p>{t('calls.empty')}</p>
          ) : (
            <ul className="call-list">
              {list.map((call) => (
                <CallCard key={call.id} call={call} viewerZone={viewerZone} />
              ))}
            </ul>
          )
        }
      </QueryState>
    </section>
  );
}
