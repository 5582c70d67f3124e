import type { TimerState } from '../../../shared/realtime/meetingState';

const clockFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * Wall-clock time in a zone followed by the zone's IANA name ("09:14 Asia/Tokyo"): an attendee's
 * local time is only useful with the zone it is in. An unknown zone falls back to UTC, named so.
 */
export function zonedClock(locale: string, timeZone: string, at: number | string): string {
  const key = `${locale}|${timeZone}`;
  let format = clockFormats.get(key);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone });
    } catch {
      return zonedClock(locale, 'UTC', at);
    }
    clockFormats.set(key, format);
  }
  return `${format.format(new Date(at))} ${timeZone}`;
}

/**
 * What is left of a timer at the server's instant `serverNow` (this device's clock corrected by
 * the offset measured on the last message), so every screen counts down from the same anchor
 * and a slow tab does not drift: the value is recomputed from the anchor on every tick.
 */
export function timerRemainingMs(timer: TimerState, serverNow: number): number {
  if (!timer.runningSince) return timer.remainingMs;
  return Math.max(0, timer.remainingMs - (serverNow - new Date(timer.runningSince).getTime()));
}

/** "9:05" or "1:02:03" (whole seconds, rounded up so 0:00 means time is really up). */
export function countdownText(ms: number): string {
  const total = Math.ceil(ms / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}
