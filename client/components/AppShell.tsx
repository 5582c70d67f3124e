import type { ReactNode } from 'react';
import { Link, NavLink, useNavigate } from 'react-router';
import { useMe, useSignOut } from '../features/auth/useSession';
import { MentionNotices } from '../features/comments/MentionNotices';
import { ConnectionStatus } from './ConnectionStatus';
import { useI18n } from './i18n/I18nProvider';
import { LanguageSwitch } from './LanguageSwitch';

/** The frame of every screen: skip link, header (brand, navigation, language, connection, account) and main. */
export function AppShell({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const me = useMe();
  const signOut = useSignOut();
  const navigate = useNavigate();
  return (
    <>
      <a className="skip-link" href="#main">
        {t('shell.skipToContent')}
      </a>
      <header className="app-header">
        <Link to="/" className="brand">
          Godo <span lang="ja">合同</span>
        </Link>
        {me.data && (
          <nav aria-label={t('shell.navigation')}>
            <NavLink to="/" end>
              {t('nav.myCalls')}
            </NavLink>
            <NavLink to="/profile">{t('nav.profile')}</NavLink>
          </nav>
        )}
        <div className="header-tools">
          <ConnectionStatus />
          <LanguageSwitch />
          {me.data && (
            <div className="account">
              <span className="account-name">{me.data.name}</span>
              <button
                type="button"
                className="link-button"
                onClick={() => signOut.mutate(undefined, { onSettled: () => navigate('/signin') })}
              >
                {t('shell.signOut')}
              </button>
            </div>
          )}
        </div>
      </header>
      {me.data && <MentionNotices />}
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
