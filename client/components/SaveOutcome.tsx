import { isVersionConflict } from '../api/http';
import { ErrorNotice, Notice } from './Feedback';
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

/**
 * What a form over a versioned record shows about its save: a newer version that changed what the
 * form edits (ChangedElsewhere, with or without a refused save); a refused save whose newer version
 * left the edited fields alone, now the form's base (save again: it will go through, nothing is
 * overwritten); or any other error. `sentVersion` is the version the refused save carried.
 */
export function SaveOutcome(props: {
  error: Error | null;
  sentVersion: number | undefined;
  baseVersion: number;
  changedElsewhere: boolean;
  onLoad: () => void;
  message?: string;
}) {
  const { t } = useI18n();
  const { error, sentVersion, baseVersion, changedElsewhere, onLoad, message } = props;
  if (changedElsewhere) return <ChangedElsewhere onLoad={onLoad} message={message} />;
  if (!error) return null;
  if (isVersionConflict(error) && sentVersion !== undefined && baseVersion > sentVersion) return <Notice>{t('common.saveAgain')}</Notice>;
  return <ErrorNotice error={error} />;
}
