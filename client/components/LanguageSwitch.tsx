import { LANGUAGES, type Language } from '../../shared/enums';
import { usePersistLanguage, useMe } from '../features/auth/useSession';
import { useI18n } from './i18n/I18nProvider';

/** Each language named in itself, so a reader finds their own whatever is showing. */
const NATIVE_NAMES: Readonly<Record<Language, string>> = { en: 'English', ja: '日本語' };

/**
 * Switches the interface language at once; for a signed-in person the choice is saved to the
 * profile (PATCH /api/me) so it follows them to other devices.
 */
export function LanguageSwitch() {
  const { language, setLanguage, t } = useI18n();
  const me = useMe();
  const persist = usePersistLanguage();
  const choose = (next: Language) => {
    if (next === language) return;
    setLanguage(next);
    if (me.data) persist.mutate(next);
  };
  return (
    <div role="group" aria-label={t('language.label')} className="language-switch">
      {LANGUAGES.map((code) => (
        <button
          key={code}
          type="button"
          lang={code}
          aria-pressed={code === language}
          data-language={code}
          onClick={() => choose(code)}
        >
          {NATIVE_NAMES[code]}
        </button>
      ))}
    </div>
  );
}
