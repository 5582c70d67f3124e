import { NavLink, Outlet } from 'react-router';
import { PROGRAMMES } from '../../../shared/programmes';
import type { ProgrammeType } from '../../../shared/enums';
import type { PolicyAction } from '../../../shared/policyActions';
import type { CallDto } from '../../api/dto';
import { QueryState } from '../../components/Feedback';
import { useI18n } from '../../components/i18n/I18nProvider';
import type { MessageKey } from '../../components/i18n/messages';
import { LocalizedText } from '../../components/Localized';
import { useAccessEnded } from '../../realtime/accessEnded';
import { PhaseBanner } from './PhaseBanner';
import { allows, useCall, useCallId } from './useCall';

const TABS: { to: string; label: MessageKey; needs?: PolicyAction[] }[] = [
  { to: '', label: 'callNav.proposals' },
  { to: 'ranking', label: 'callNav.ranking', needs: ['ranking:read'] },
  { to: 'meeting', label: 'callNav.meeting', needs: ['meeting:read'] },
  { to: 'settings', label: 'callNav.settings', needs: ['call:update'] },
  { to: 'people', label: 'callNav.people', needs: ['person:invite', 'membership:write'] },
  { to: 'assignments', label: 'callNav.assignments', needs: ['assignment:write'] },
  { to: 'conflicts', label: 'callNav.conflicts', needs: ['conflict:review'] },
  { to: 'audit', label: 'callNav.audit', needs: ['audit:read'] },
];

function CallHeader({ call }: { call: CallDto }) {
  const { t, language } = useI18n();
  const programme = PROGRAMMES[call.programme as ProgrammeType];
  const other = language === 'en' ? 'ja' : 'en';
  return (
    <header className="call-header">
      <p className="eyebrow">
        {programme && <LocalizedText text={programme.name} />}
        {call.me.role && <span className="role-badge">{t(`role.${call.me.role}`)}</span>}
        {call.me.agency && <span className="muted">{call.me.agency}</span>}
      </p>
      <h1>
        <LocalizedText text={call.title} />
      </h1>
      <p className="subtitle" lang={other}>
        {call.title[other]}
      </p>
    </header>
  );
}

/** The frame of a call's screens: title, phase banner with deadlines, and the screens the person may open. */
export function CallLayout() {
  const { t } = useI18n();
  const callId = useCallId();
  const call = useCall(callId);
  const ended = useAccessEnded('call', callId, call.error);
  return (
    <QueryState query={call} errorMessage={ended ? t('access.ended.call') : undefined}>
      {(data) => (
        <div className="call-layout">
          <CallHeader call={data} />
          <PhaseBanner call={data} />
          <nav className="tabs" aria-label={t('callNav.label')}>
            {TABS.filter((tab) => !tab.needs || tab.needs.some((action) => allows(data, action))).map((tab) => (
              <NavLink key={tab.to} to={tab.to} end={tab.to === ''}>
                {t(tab.label)}
              </NavLink>
            ))}
          </nav>
          <Outlet />
        </div>
      )}
    </QueryState>
  );
}
