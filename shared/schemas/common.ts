import { z } from 'zod';
import { LIMITS } from '../limits';

/**
 * Building blocks for the resource schemas. Every string field is a real string (so an operator
 * object such as `{"$gt": ""}` fails), trimmed and bounded; every object is strict.
 */

/** A non-empty trimmed string of at most `max` characters. */
export function text(max: number = LIMITS.shortText) {
  return z.string().trim().min(1).max(max);
}

/** A database id (24 hex characters, as MongoDB ObjectIds print). */
export const IdSchema = z.string().regex(/^[0-9a-f]{24}$/, 'must be a 24-character hex id');

/** An agency code such as `JST`, `ANR`, `NSFC`. */
export const AgencyCodeSchema = z
  .string()
  .regex(/^[A-Z][A-Z0-9-]{1,15}$/, 'must be 2–16 upper-case letters, digits or hyphens');

/** A criterion key such as `excellence` (safe as an object key: never `__proto__`). */
export const CriterionKeySchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be lower-case letters, digits or underscores');

/** An e-mail address, lower-cased so look-ups and domain matching are case-insensitive. */
export const EmailSchema = z.email().max(LIMITS.email).transform((email) => email.toLowerCase());

/** An ISO 8601 instant with an explicit offset or `Z`. */
export const InstantSchema = z.iso.datetime({ offset: true });

/** Whether `zone` is an IANA time zone name the runtime knows (e.g. `Asia/Tokyo`, `UTC`). */
export function isIanaTimeZone(zone: string): boolean {
  // Intl also accepts offsets like "+09:00" on newer runtimes; deadlines need real zones (DST).
  if (!/^[A-Za-z]+(?:[/_+-][A-Za-z0-9]+)*$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** An IANA time zone name (see isIanaTimeZone). */
export const TimeZoneSchema = z
  .string()
  .max(64)
  .refine(isIanaTimeZone, { message: 'must be an IANA time zone such as Asia/Tokyo' });

const KNOWN_CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/** An ISO 4217 currency code the runtime knows (JPY, EUR, USD, ...). */
export const CurrencySchema = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code')
  .refine((code) => KNOWN_CURRENCIES.has(code), { message: 'unknown currency' });

/** An amount in whole units of its currency. */
export const MoneySchema = z.number().int().min(0).max(LIMITS.money);

/** A name given in both languages (criteria, agencies, call titles). */
export const BilingualNameSchema = z.strictObject({
  en: text(LIMITS.shortText),
  ja: text(LIMITS.shortText),
});
export type BilingualName = z.infer<typeof BilingualNameSchema>;

/** Text in English and/or Japanese: either may be missing, not both. */
export function localizedText(max: number) {
  return z
    .strictObject({ en: text(max).optional(), ja: text(max).optional() })
    .refine((value) => value.en !== undefined || value.ja !== undefined, {
      message: 'give the text in English, Japanese or both',
    });
}
/** Parsed form of localizedText. */
export type LocalizedText = { en?: string; ja?: string };

/** Optimistic-concurrency version a client last saw. */
export const VersionSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
