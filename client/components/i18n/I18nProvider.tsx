import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Language } from '../../../shared/enums';
import { messages } from './messages';
import { createI18n, type I18n } from './translator';

export type { I18n, MessageParams } from './translator';

const STORAGE_KEY = 'godo.language';

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
  const value = useMemo<I18n>(() => createI18n(language, setLanguage), [language, setLanguage]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

/** The interface language and its translator and formatters. */
export function useI18n(): I18n {
  const context = useContext(I18nContext);
  if (!context) throw new Error('useI18n needs an I18nProvider');
  return context;
}
