import type { Language } from '../../../shared/enums';
import { createFormatters, LOCALES, type Formatters } from './format';
import { messages, type MessageKey } from './messages';

/** Values put into `{name}` placeholders; numbers are formatted for the language. */
export type MessageParams = Record<string, string | number>;

export interface I18n {
  language: Language;
  locale: string;
  setLanguage(language: Language): void;
  /** The message in the current language with its placeholders filled. */
  t(key: MessageKey, params?: MessageParams): string;
  /** Whether a key computed from data (an audit action, an error code) has a message. */
  has(key: string): key is MessageKey;
  fmt: Formatters;
}

declare global {
  interface Window {
    /** Keys asked for that the active language lacks; the browser tests assert it stays empty. */
    __godoMissingMessages?: string[];
  }
}

function reportMissing(language: Language, key: string): void {
  // Outside a browser (tests of client code in Node) there is no page to report to; the key is shown.
  if (typeof window === 'undefined') return;
  const entry = `${language}:${key}`;
  window.__godoMissingMessages ??= [];
  if (!window.__godoMissingMessages.includes(entry)) {
    window.__godoMissingMessages.push(entry);
    console.warn(`[i18n] missing message ${entry}`);
  }
}

/** The translator and formatters of one language (outside React as well: tests, non-component code). */
export function createI18n(language: Language, setLanguage: (next: Language) => void = () => undefined): I18n {
  const dictionary = messages[language] as Record<string, string>;
  const fmt = createFormatters(language);
  const t = (key: MessageKey, params?: MessageParams) => {
    let text = dictionary[key];
    if (text === undefined) {
      reportMissing(language, key);
      return key;
    }
    if (params) {
      text = text.replace(/\{(\w+)\}/g, (whole, name: string) => {
        const param = params[name];
        if (param === undefined) return whole;
        return typeof param === 'number' ? fmt.number(param, 2) : param;
      });
    }
    return text;
  };
  const has = (key: string): key is MessageKey => key in dictionary;
  return { language, locale: LOCALES[language], setLanguage, t, has, fmt };
}
