import { useEffect, useRef, type ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { ErrorNotice, Loading } from '../../components/Feedback';
import { useI18n } from '../../components/i18n/I18nProvider';
import { useMe } from './useSession';

/**
 * Shows its children to a signed-in person; sends anyone else to the sign-in page (coming back
 * afterwards). On first load the profile's language becomes the interface language.
 */
export function RequireSession({ children }: { children: ReactNode }) {
  const me = useMe();
  const location = useLocation();
  const { setLanguage } = useI18n();
  const appliedFor = useRef<string | null>(null);
  useEffect(() => {
    if (me.data && appliedFor.current !== me.data.id) {
      appliedFor.current = me.data.id;
      setLanguage(me.data.language);
    }
  }, [me.data, setLanguage]);
  if (me.isPending) return <Loading />;
  if (me.error) return <ErrorNotice error={me.error} onRetry={() => me.refetch()} />;
  if (!me.data) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/signin?next=${encodeURIComponent(next)}`} replace />;
  }
  return <>{children}</>;
}
