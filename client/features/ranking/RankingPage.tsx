import { useQuery } from '@tanstack/react-query';
import { fetchRanking } from '../../api/proposals';
import { queryKeys } from '../../api/queryKeys';
import { QueryState } from '../../components/Feedback';
import { useI18n } from '../../components/i18n/I18nProvider';
import { allows, useCall, useCallId } from '../calls/useCall';
import { AgencyRankings } from './AgencyRankings';
import { DecisionsOverview } from './DecisionsOverview';
import { FundingLines } from './FundingLines';
import { JointList } from './JointList';
import { MovesHistory } from './MovesHistory';
import { TiersEditor } from './TiersEditor';

/** Ranking: each agency's ranking side by side, the negotiated joint list with tiers and funding lines, decisions and sign-offs. */
export function RankingPage() {
  const { t } = useI18n();
  const callId = useCallId();
  const call = useCall(callId);
  const ranking = useQuery({ queryKey: queryKeys.ranking(callId), queryFn: async () => (await fetchRanking(callId)).ranking });
  return (
    <QueryState query={call}>
      {(callData) => (
        <QueryState query={ranking}>
          {(data) => {
            const writable = allows(callData, 'ranking:write');
            return (
              <div className="stack">
                <h2>{t('ranking.title')}</h2>
                {!data.initialised && <p className="muted">{t('ranking.notInitialised')}</p>}
                <AgencyRankings ranking={data} agencies={callData.agencies.map((agency) => agency.code)} />
                <JointList call={callData} ranking={data} writable={writable} />
                <FundingLines ranking={data} />
                <TiersEditor callId={callId} ranking={data} writable={writable} />
                <MovesHistory ranking={data} />
                <DecisionsOverview call={callData} ranking={data} />
              </div>
            );
          }}
        </QueryState>
      )}
    </QueryState>
  );
}
