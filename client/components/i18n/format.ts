import type { Language } from '../../../shared/enums';

/** The Intl locale used for each interface language. */
export const LOCALES: Readonly<Record<Language, string>> = { en: 'en-GB', ja: 'ja-JP' };

/** Locale-aware formatters; every date carries its zone explicitly (Godo never shows a bare time). */
export interface Formatters {
  /** Date and time in `timeZone`, with the zone's UTC offset, e.g. "9 Dec 2026, 17:00 GMT+9". */
  dateTime(iso: string | Date, timeZone: string): string;
  /** Calendar date in `timeZone`. */
  date(iso: string | Date, timeZone: string): string;
  /** "in 14 days", "3 hours ago". */
  relative(iso: string | Date, now?: Date): string;
  number(value: number, maximumFractionDigits?: number): string;
  /** A score or statistic: at most two decimals, no trailing zeros. */
  score(value: number | null | undefined): string;
  money(amount: number, currency: string): string;
}

const cache = new Map<string, Intl.DateTimeFormat>();

function dateFormat(locale: string, timeZone: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${withTime}`;
  let format = cache.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(
      locale,
      withTime
        ? { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone, timeZoneName: 'shortOffset' }
        : { year: 'numeric', month: 'short', day: 'numeric', timeZone },
    );
    cache.set(key, format);
  }
  return format;
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** Builds the formatters of one interface language. */
export function createFormatters(language: Language): Formatters {
  const locale = LOCALES[language];
  const relative = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  return {
    dateTime: (iso, timeZone) => dateFormat(locale, timeZone, true).format(new Date(iso)),
    date: (iso, timeZone) => dateFormat(locale, timeZone, false).format(new Date(iso)),
    relative(iso, now = new Date()) {
      const diff = new Date(iso).getTime() - now.getTime();
      for (const [unit, ms] of UNITS) {
        if (Math.abs(diff) >= ms || unit === 'minute') return relative.format(Math.round(diff / ms), unit);
      }
      return relative.format(0, 'minute');
    },
    number: (value, maximumFractionDigits = 0) => new Intl.NumberFormat(locale, { maximumFractionDigits }).format(value),
    score: (value) =>
      value === null || value === undefined || Number.isNaN(value)
        ? '–'
        : new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(value),
    money: (amount, currency) =>
      new Intl.NumberFormat(locale, { style: 'currency', currency, maximumFractionDigits: 0 }).format(amount),
  };
}

/** The browser's own IANA zone (used before sign-in and as a profile suggestion). */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** IANA zones offered in pickers; the runtime's list when it has one. */
export function knownTimeZones(): string[] {
  const supported = (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf;
  const zones = supported ? supported('timeZone') : [];
  return zones.includes('UTC') ? zones : ['UTC', ...zones];
}
