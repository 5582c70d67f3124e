import { Notice } from './Feedback';
import { useI18n } from './i18n/I18nProvider';

/**
 * Says that a newer version was saved while the form had unsaved changes (useServerDraft's
 * `changedElsewhere`), and offers to load it. `message` words the case for the form; the
 * default suits anything several people edit.
 */
export function ChangedElsewhere({ onLoad, message }: { onLoad: () => void; message?: string }) {
  const { t } = useI18n();
  return (
    <Notice tone="warning">
      <p>{message ?? t('common.changedElsewhere')}</p>
      <button type="button" onClick={onLoad}>
        {t('common.loadSaved')}
      </button>
    </Notice>
  );
}
