import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import { useI18n } from '../../components/i18n/I18nProvider';

/**
 * "Please leave the room": covers the whole screen while the item under discussion is one the
 * person is conflicted with, and takes the keyboard focus so screen readers announce it. It
 * says nothing about the proposal; it goes away by itself when the moderator moves on.
 */
export function LeaveScreen({ requests }: { requests: number }) {
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
        <p id="leave-why">{t('meeting.leave.why')}</p>
        <p>{t('meeting.leave.return')}</p>
        <p className="muted">{t('meeting.leave.private')}</p>
        <p>
          <Link to="/" ref={link}>{t('meeting.leave.toCalls')}</Link>
        </p>
      </div>
    </div>
  );
}
