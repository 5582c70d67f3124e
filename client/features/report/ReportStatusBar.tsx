import { COLLAB_CLOSE_CODES } from '../../../shared/collab';
import type { MessageKey } from '../../components/i18n/messages';
import { useI18n } from '../../components/i18n/I18nProvider';
import type { ReportPresent } from './presence';
import type { ReportSessionSnapshot } from './reportSession';

const STATE_MESSAGE: Record<ReportSessionSnapshot['state'], MessageKey> = {
  connecting: 'report.connection.connecting',
  connected: 'report.connection.saved',
  reconnecting: 'report.connection.reconnecting',
  offline: 'report.connection.offline',
  closed: 'report.connection.closed',
};

/** Whether the page can save edits: "Saved", "Reconnecting — your edits will be sent", "Offline". */
export function ReportConnectionStatus({ status }: { status: ReportSessionSnapshot }) {
  const { t } = useI18n();
  const key = status.state === 'connected' && status.pending ? 'report.connection.sending' : STATE_MESSAGE[status.state];
  return (
    <p className={`report-connection report-connection-${status.state}`} role="status" data-state={status.state} data-pending={status.pending ? 'true' : 'false'}>
      <span className="report-connection-dot" aria-hidden="true" />
      {t(key)}
      {status.pending && status.state !== 'connected' && <span className="muted"> · {t('report.connection.pending')}</span>}
    </p>
  );
}

/** Why the server closed the document for good (a 44xx close), in words. */
export function closedReasonKey(code: number): MessageKey {
  switch (code) {
    case COLLAB_CLOSE_CODES.unauthenticated:
      return 'report.closed.unauthenticated';
    case COLLAB_CLOSE_CODES.forbidden:
    case COLLAB_CLOSE_CODES.notFound:
      return 'report.closed.forbidden';
    case COLLAB_CLOSE_CODES.documentTooLarge:
    case COLLAB_CLOSE_CODES.frameTooLarge:
      return 'report.closed.tooLarge';
    default:
      return 'report.closed.other';
  }
}

/** Who is in the report now: names and agencies in words, the caret colour only as an extra cue. */
export function PresenceList({ present }: { present: ReportPresent[] }) {
  const { t } = useI18n();
  return (
    <section className="report-presence" aria-labelledby="report-presence-title">
      <h4 id="report-presence-title" className="visually-hidden">
        {t('report.presence.title')}
      </h4>
      <span className="muted" aria-hidden="true">
        {t('report.presence.title')}:
      </span>
      <ul className="report-presence-list">
        {present.map(({ key, user, self }) => (
          <li key={key} data-user-name={user.name}>
            <span className="presence-swatch" style={{ backgroundColor: user.color }} aria-hidden="true" />
            {user.name}
            {user.agency && <span className="agency-tag">{user.agency}</span>}
            {self && <span className="muted"> ({t('report.presence.you')})</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
