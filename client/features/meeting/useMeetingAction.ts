import { useCallback, useState } from 'react';
import type { RealtimeError } from '../../../shared/realtime/events';
import { useI18n, type I18n } from '../../components/i18n/I18nProvider';
import type { CommandPayload, MeetingCommand, MeetingSession, NoAnswer } from './meetingSession';

/** A refused or unanswered meeting command in the person's language (meeting codes first, then the common ones). */
export function meetingErrorText(i18n: I18n, error: RealtimeError | NoAnswer['error']): string {
  const own = `meeting.error.${error.code}`;
  if (i18n.has(own)) return i18n.t(own);
  const common = `error.${error.code}`;
  if (i18n.has(common)) return i18n.t(common);
  return i18n.t('error.generic', { message: error.message });
}

/**
 * Sends meeting commands for one panel: `busy` while one is in flight, the refusal's text in
 * `error` until the next attempt. Resolves true when the server accepted it.
 */
export function useMeetingAction(session: MeetingSession) {
  const i18n = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(
    async <C extends MeetingCommand>(event: C, payload: CommandPayload<C>) => {
      setBusy(true);
      setError(null);
      const ack = await session.send(event, payload);
      setBusy(false);
      if (!ack.ok) setError(meetingErrorText(i18n, ack.error));
      return ack.ok;
    },
    [session, i18n],
  );
  return { run, busy, error };
}
