import type { Language } from '../../shared/enums';
import { useI18n } from './i18n/I18nProvider';

/** Text that may exist in English, Japanese or both (titles, abstracts, rationales). */
export type MaybeLocalized = { en?: string | null; ja?: string | null } | null | undefined;

/** The text in `language`, else in the other language, with the language it is actually in. */
export function pickLocalized(text: MaybeLocalized, language: Language): { text: string; lang: Language } | null {
  const other: Language = language === 'en' ? 'ja' : 'en';
  const own = text?.[language];
  if (own) return { text: own, lang: language };
  const fallback = text?.[other];
  return fallback ? { text: fallback, lang: other } : null;
}

/**
 * Shows bilingual data in the interface language, falling back to the other one (marked with
 * its `lang`, so screen readers switch voice and the browser picks the right font).
 */
export function LocalizedText({ text, className }: { text: MaybeLocalized; className?: string }) {
  const { language } = useI18n();
  const picked = pickLocalized(text, language);
  if (!picked) return null;
  return (
    <span lang={picked.lang} className={className}>
      {picked.text}
    </span>
  );
}
