import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
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

const STORAGE_KEY = 'godo.language';

declare global {
  interface Window {
    /** Keys asked for that the active language lacks; the browser tests assert it stays empty. */
    __godoMissingMessages?: string[];
  }
}

function reportMissing(language: Language, key: string): void {
  const entry = `${language}:${key}`;
  window.__godoMissingMessages ??= [];
  if (!window.__godoMissingMessages.includes(entry)) {
    window.__godoMissingMessages.push(entry);
    console.warn(`[i18n] missing message ${entry}`);
  }
}

/** The language to start in: the last one chosen on this device, else the browser's. */
export function initialLanguage(): Language {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored === 'en' || stored === 'ja') return stored;
  } catch {
    // Storage can be blocked; the browser's language is a fine default then.
  }
  return navigator.language.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}

const I18nContext = createContext<I18n | null>(null);

/** Provides the interface language; switching re-renders every string at once. */
export function I18nProvider({ children, initial }: { children: ReactNode; initial?: Language }) {
  const [language, setLanguageState] = useState<Language>(initial ?? initialLanguage);
  useEffect(() => {
    document.documentElement.lang = language;
    document.title = messages[language]['app.documentTitle'];
  }, [language]);
  const setLanguage = useCallback((next: Language) => {
    setLanguageState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Not persisted on this device; the profile keeps it for signed-in people.
    }
  }, []);
  const value = useMemo<I18n>(() => {
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
  }, [language, setLanguage]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

/** The interface language and its translator and formatters. */
export function useI18n(): I18n {
  const context = useContext(I18nContext);
  if (!context) throw new Error('useI18n needs an I18nProvider');
  return context;
}
