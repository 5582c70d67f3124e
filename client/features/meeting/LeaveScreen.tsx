import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import type { LeaveReason } from '../../../shared/realtime/events';
import { useI18n } from '../../components/i18n/I18nProvider';
import type { MessageKey } from '../../components/i18n/messages';

/** The explanation of each reason the server gives; a new reason fails to compile until it has one. */
const REASON_TEXT: Readonly<Record<LeaveReason, MessageKey>> = {
  conflict: 'meeting.leave.reason.conflict',
};

/**
 * "Please leave the room": covers the whole screen while the item under discussion is one the
 * person is conflicted with, and takes the keyboard focus so screen readers announce it. It
 * says nothing about the proposal; it goes away by itself when the moderator moves on. `reason`
 * is the server's code from `meeting:leaveRequested`, shown in the person's language.
 */
export function LeaveScreen({ requests, reason }: { requests: number; reason: LeaveReason }) {
  const { t } = useI18n();
  const heading = useRef<HTMLHeadingElement>(null);
  const link = useRef<HTMLAnchorElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, [requests]);
  // The screen is modal: Tab stays on its one control instead of reaching the page hidden behind it.
  return (
    <div
      className="leave-screen"
      role="alertdialog"
      aria-modal="true"
      aria-labelledby="leave-title"
      aria-describedby="leave-why"
      data-testid="leave-screen"
      onKeyDown={(event) => {
        if (event.key !== 'Tab') return;
        event.preventDefault();
        link.current?.focus();
      }}
    >
      <div className="leave-box">
        <h2 id="leave-title" tabIndex={-1} ref={heading}>
          {t('meeting.leave.title')}
        </h2>
        <p id="leave-why" data-reason={reason}>
          {t(REASON_TEXT[reason])}
        </p>
        <p>{t('meeting.leave.return')}</p>
        <p className="muted">{t('meeting.leave.private')}</p>
        <p>
          <Link to="/" ref={link}>{t('meeting.leave.toCalls')}</Link>
        </p>
      </div>
    </div>
  );
}
