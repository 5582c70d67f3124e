import { onlineManager } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { onReachabilityChange } from '../api/http';
import { useI18n } from './i18n/I18nProvider';

type State = 'online' | 'offline' | 'unreachable';

/**
 * The connection as people need to know it in a meeting: online, offline (the browser has no
 * network), or the Godo server not answering. Announced politely when it changes.
 */
export function ConnectionStatus() {
  const { t } = useI18n();
  const [online, setOnline] = useState(() => navigator.onLine);
  const [reachable, setReachable] = useState(true);
  useEffect(() => {
    const up = () => setOnline(true);
    const down = () => setOnline(false);
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    const stop = onReachabilityChange(setReachable);
    return () => {
      window.removeEventListener('online', up);
      window.removeEventListener('offline', down);
      stop();
    };
  }, []);
  useEffect(() => {
    onlineManager.setOnline(online);
  }, [online]);
  const state: State = !online ? 'offline' : reachable ? 'online' : 'unreachable';
  return (
    <p className={`connection connection-${state}`} role="status" aria-live="polite" data-connection={state}>
      <span className="connection-dot" aria-hidden="true" />
      {t(`connection.${state}`)}
    </p>
  );
}
