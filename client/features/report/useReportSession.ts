import { useEffect, useState, useSyncExternalStore } from 'react';
import { ReportSession, type ReportSessionSnapshot } from './reportSession';

const CLOSED: ReportSessionSnapshot = { state: 'connecting', pending: false, loaded: false, closed: null, accessChanges: 0 };
const noSubscription = () => () => undefined;

/**
 * Opens the report's collaborative document while the page is shown (one Y.Doc and one
 * provider per open report) and closes it when the page goes or the proposal changes.
 */
export function useReportSession(proposalId: string): { session: ReportSession | null; status: ReportSessionSnapshot } {
  const [session, setSession] = useState<ReportSession | null>(null);
  useEffect(() => {
    const opened = new ReportSession(proposalId);
    setSession(opened);
    return () => {
      setSession(null);
      opened.destroy();
    };
  }, [proposalId]);
  const status = useSyncExternalStore(session?.subscribe ?? noSubscription, session?.getSnapshot ?? (() => CLOSED));
  return { session, status };
}
