import { lazy, Suspense } from 'react';
import { Link, NavLink, Outlet } from 'react-router';
import type { PolicyAction } from '../../../shared/policyActions';
import { Loading, QueryState } from '../../components/Feedback';
import { useI18n } from '../../components/i18n/I18nProvider';
import type { MessageKey } from '../../components/i18n/messages';
import { LocalizedText } from '../../components/Localized';
import { useAccessEnded } from '../../realtime/accessEnded';
import { UnreadBadge } from '../comments/UnreadBadge';
import { proposalAllows, useProposal, useProposalId } from './useProposal';

// The comment threads (Socket.IO, live) are another feature's; they load only on a proposal page.
const CommentsPanel = lazy(async () => ({ default: (await import('../comments/CommentsPanel')).CommentsPanel }));

const TABS: { to: string; label: MessageKey; needs?: PolicyAction }[] = [
  { to: '', label: 'proposalNav.details' },
  { to: 'reviews', label: 'proposalNav.reviews', needs: 'review:readAll' },
  { to: 'reconciliation', label: 'proposalNav.reconciliation', needs: 'reconciliation:read' },
  { to: 'report', label: 'proposalNav.report', needs: 'report:read' },
  { to: 'decision', label: 'proposalNav.decision', needs: 'decision:read' },
];

/** The frame of one proposal's screens: reference, title, tabs, and the comment threads beside them. */
export function ProposalLayout() {
  const { t } = useI18n();
  const proposalId = useProposalId();
  const proposal = useProposal(proposalId);
  const ended = useAccessEnded('proposal', proposalId, proposal.error);
  return (
    <QueryState query={proposal} errorMessage={ended ? t('access.ended.proposal') : undefined}>
      {(data) => (
        <article className="proposal-layout" aria-labelledby="proposal-title">
          <p className="breadcrumb">
            <Link to="..">{t('proposal.backToList')}</Link>
          </p>
          <header>
            <p className="eyebrow">
              {data.ref} · {data.agencies.join(' · ')}
            </p>
            <h2 id="proposal-title">
              <LocalizedText text={data.title} />
            </h2>
          </header>
          <nav className="tabs" aria-label={t('proposalNav.label')}>
            {TABS.filter((tab) => !tab.needs || proposalAllows(data, tab.needs)).map((tab) => (
              <NavLink key={tab.to} to={tab.to} end={tab.to === ''}>
                {t(tab.label)}
              </NavLink>
            ))}
            {proposalAllows(data, 'comment:read') && <UnreadBadge callId={data.callId} proposalId={data.id} />}
          </nav>
          <div className="proposal-body">
            <div className="proposal-main">
              <Outlet />
            </div>
            {proposalAllows(data, 'comment:read') && (
              <aside className="proposal-aside" aria-label={t('comments.title')}>
                <Suspense fallback={<Loading />}>
                  <CommentsPanel proposalId={data.id} />
                </Suspense>
              </aside>
            )}
          </div>
        </article>
      )}
    </QueryState>
  );
}
