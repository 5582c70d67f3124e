import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { reportSectionKeys } from '../../../shared/collab/reportDoc';
import { queryKeys } from '../../api/queryKeys';
import { ErrorNotice, Loading, Notice } from '../../components/Feedback';
import type { MessageKey } from '../../components/i18n/messages';
import { useI18n } from '../../components/i18n/I18nProvider';
import { useMe, useViewerZone } from '../auth/useSession';
import { useCall, useCallId } from '../calls/useCall';
import { proposalAllows, useProposal, useProposalId } from '../proposal/useProposal';
import { CommentRail } from './CommentRail';
import { EditorRegistry } from './editorRegistry';
import { agencyColour, usePresence, type ReportPresenceUser } from './presence';
import { ReportSection } from './ReportSection';
import { closedReasonKey, PresenceList, ReportConnectionStatus } from './ReportStatusBar';
import { SignOffStatus } from './SignOffStatus';
import { useReportSession } from './useReportSession';
import { VersionsPanel } from './VersionsPanel';

// Write access can change while the page is open (final sign-off, phase change): ask again now and then.
const ACCESS_REFRESH_MS = 30_000;

/**
 * The consensus report of a proposal, co-edited live: a section per criterion, then summary and
 * recommendation, each in English and Japanese side by side (Tiptap on one Y.Doc synced over
 * /collab), minority views per agency, who is here, named versions with diffs and restore,
 * sign-off status, exports and comments anchored to the text.
 */
export function ReportPage() {
  const { t, language } = useI18n();
  const client = useQueryClient();
  const callId = useCallId();
  const proposalId = useProposalId();
  const call = useCall(callId);
  const proposal = useProposal(proposalId);
  const me = useMe();
  const zone = useViewerZone();
  const { session, status } = useReportSession(proposalId);
  const present = usePresence(session?.provider.awareness ?? null);
  const [registry] = useState(() => new EditorRegistry());

  useEffect(() => {
    const timer = setInterval(() => void client.invalidateQueries({ queryKey: queryKeys.proposal(proposalId), exact: true }), ACCESS_REFRESH_MS);
    return () => clearInterval(timer);
  }, [client, proposalId]);
  // The collaboration server said this person's write access changed: ask now, not at the next
  // refresh, for the access and for the call (its phase gives the reason shown).
  useEffect(() => {
    if (status.accessChanges === 0) return;
    void client.invalidateQueries({ queryKey: queryKeys.proposal(proposalId), exact: true });
    void client.invalidateQueries({ queryKey: queryKeys.call(callId), exact: true });
  }, [client, proposalId, callId, status.accessChanges]);

  const agencies = useMemo(() => call.data?.agencies.map((agency) => agency.code) ?? [], [call.data]);
  const myAgency = call.data?.me.agency ?? null;
  const user = useMemo<ReportPresenceUser>(
    () => ({ id: me.data?.id, name: me.data?.name ?? '', agency: myAgency, color: agencyColour(myAgency, agencies) }),
    [me.data?.id, me.data?.name, myAgency, agencies],
  );
  const criteria = useMemo(() => call.data?.criteria ?? [], [call.data]);
  const sectionKeys = useMemo(() => reportSectionKeys(criteria.map((c) => c.key)), [criteria]);
  const sectionTitle = (key: string): string => {
    const criterion = criteria.find((c) => c.key === key);
    if (criterion) return criterion.name[language] || criterion.name.en;
    if (key === 'summary') return t('report.section.summary');
    if (key === 'recommendation') return t('report.section.recommendation');
    return key;
  };

  const heading = <h3 id="report-title">{t('report.title')}</h3>;
  if (call.error || proposal.error) {
    return (
      <section className="report" aria-labelledby="report-title">
        {heading}
        <ErrorNotice error={call.error ?? proposal.error} />
      </section>
    );
  }
  if (!call.data || !proposal.data || !me.data || !session) {
    return (
      <section className="report" aria-labelledby="report-title">
        {heading}
        <Loading />
      </section>
    );
  }

  const allowed = proposalAllows(proposal.data, 'report:edit');
  const editable = allowed && status.state !== 'closed';
  let readOnlyReason: MessageKey | null = null;
  if (!allowed) {
    const phase = call.data.phase;
    if (call.data.me.role === 'observer') readOnlyReason = 'report.readOnly.observer';
    else if (phase === 'finalization' || phase === 'decided') readOnlyReason = 'report.readOnly.final';
    else if (phase === 'setup' || phase === 'review') readOnlyReason = 'report.readOnly.phase';
    else readOnlyReason = 'report.readOnly.other';
  }

  return (
    <section className="report" aria-labelledby="report-title" data-proposal-id={proposalId} data-editable={editable ? 'true' : 'false'}>
      <header className="report-header">
        {heading}
        <ReportConnectionStatus status={status} />
      </header>
      {status.closed && (
        <div role="alert" className="notice notice-error report-banner">
          {t(closedReasonKey(status.closed.code))}
        </div>
      )}
      {readOnlyReason && (
        <Notice tone="warning">
          <strong>{t('report.readOnly.title')}</strong> {t(readOnlyReason)}
        </Notice>
      )}
      <PresenceList present={present} />
      <div className="report-layout">
        <div className="report-main">
          {!status.loaded ? (
            <Loading label={t('report.loading')} />
          ) : (
            sectionKeys.map((key) => (
              <ReportSection
                key={key}
                session={session}
                section={key}
                title={sectionTitle(key)}
                criterion={criteria.some((c) => c.key === key)}
                agencies={agencies}
                user={user}
                editable={editable}
                zone={zone}
                registry={registry}
              />
            ))
          )}
        </div>
        <aside className="report-side" aria-label={t('report.sideLabel')}>
          <CommentRail proposalId={proposalId} session={session} registry={registry} canComment={proposalAllows(proposal.data, 'comment:write')} sectionTitle={sectionTitle} sections={sectionKeys} loaded={status.loaded} />
          <VersionsPanel proposalId={proposalId} editable={editable} zone={zone} sectionTitle={sectionTitle} />
          <SignOffStatus proposalId={proposalId} zone={zone} />
        </aside>
      </div>
    </section>
  );
}
