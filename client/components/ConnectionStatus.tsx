import { onlineManager } from '@tanstack/react-query';
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { onReachabilityChange } from '../api/http';
import { liveChannels, onLiveChange, realtimeSocket, type GodoClientSocket, type LiveChannel } from '../realtime/socket';
import { useI18n } from './i18n/I18nProvider';

/** What the indicator shows (`online` is "connected"; the attribute value is kept for existing tests and styles). */
type State = 'online' | 'reconnecting' | 'offline';

/** The first and the largest pause between probes of a server that does not answer. */
const PROBE_MIN_MS = 1_000;
const PROBE_MAX_MS = 15_000;

// liveChannels() builds a new array each time: the snapshot is cached until a change is reported.
let snapshot: { id: string; channel: LiveChannel }[] = liveChannels();
const subscribeLive = (notify: () => void) =>
  onLiveChange(() => {
    snapshot = liveChannels();
    notify();
  });

/** Whether the server answers: resolves true on any HTTP answer (even 503: the server is up). */
async function probe(): Promise<boolean> {
  try {
    await fetch('/healthz', { cache: 'no-store', credentials: 'same-origin' });
    return true;
  } catch {
    return false;
  }
}

/**
 * A socket the server closed itself (a process shutting down behind a load balancer) is not
 * reconnected by Socket.IO; this does it, after a jittered pause so tabs do not all arrive at once.
 */
function reconnectAfterServerClose(socket: GodoClientSocket): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const onDisconnect = (reason: string) => {
    if (reason !== 'io server disconnect') return;
    timer = setTimeout(() => socket.connect(), 500 + Math.random() * 1_500);
  };
  socket.on('disconnect', onDisconnect);
  return () => {
    clearTimeout(timer);
    socket.off('disconnect', onDisconnect);
  };
}

/** Probes the server and reopens the shared socket (if a screen opened one) at once. */
function reconnectNow(setReachable: (reachable: boolean) => void): void {
  void probe().then((answered) => answered && setReachable(true));
  if (liveChannels().some((c) => c.id === 'socket')) {
    const socket = realtimeSocket();
    if (!socket.connected) socket.connect();
  }
}

/**
 * One indicator for every connection a screen depends on: the browser's network, the REST API's
 * reachability, the shared Socket.IO connection and each registered live channel (open
 * collaborative documents). Connected, reconnecting, or offline, with "edits pending" when a
 * channel holds unsent changes. It recovers without a reload: a silent server is probed with
 * backoff, a socket the server closed is reopened, and "Retry now" does both at once.
 */
export function ConnectionStatus() {
  const { t } = useI18n();
  const [online, setOnline] = useState(() => navigator.onLine);
  const [reachable, setReachable] = useState(true);
  const channels = useSyncExternalStore(subscribeLive, () => snapshot);
  const hasSocket = channels.some((c) => c.id === 'socket');
  const probeDelay = useRef(PROBE_MIN_MS);

  useEffect(() => {
    // Back on the network: ask now rather than at the end of a backoff pause.
    const up = () => {
      setOnline(true);
      reconnectNow(setReachable);
    };
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

  // Only once a screen opened the socket (never on the sign-in page, where it would be refused).
  useEffect(() => (hasSocket ? reconnectAfterServerClose(realtimeSocket()) : undefined), [hasSocket]);

  // A server that stopped answering is asked again with growing pauses until it answers.
  useEffect(() => {
    if (reachable || !online) {
      probeDelay.current = PROBE_MIN_MS;
      return;
    }
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout>;
    const attempt = async () => {
      if (await probe()) {
        if (!cancelled) setReachable(true);
        return;
      }
      probeDelay.current = Math.min(probeDelay.current * 2, PROBE_MAX_MS);
      if (!cancelled) timer = setTimeout(attempt, probeDelay.current);
    };
    timer = setTimeout(attempt, probeDelay.current);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [reachable, online]);

  const troubled = channels.some((c) => c.channel.state === 'reconnecting' || c.channel.state === 'offline');
  const pending = channels.some((c) => c.channel.pending);
  const state: State = !online ? 'offline' : !reachable || troubled ? 'reconnecting' : 'online';
  const label = t(state === 'online' ? 'comments.connection.connected' : `comments.connection.${state}`);

  const retry = () => reconnectNow(setReachable);

  return (
    <div className={`connection connection-${state}`} data-connection={state} data-pending={pending ? 'true' : 'false'}>
      <p role="status" aria-live="polite">
        <span className="connection-dot" aria-hidden="true" />
        {label}
        {pending && ` — ${t('comments.connection.pending')}`}
      </p>
      {state === 'reconnecting' && (
        <button type="button" className="link-button" onClick={retry}>
          {t('comments.connection.retry')}
        </button>
      )}
    </div>
  );
}
