import type { UseMutationResult } from '@tanstack/react-query';
import { isVersionConflict } from '../api/http';
import { ErrorNotice, Notice } from './Feedback';
import { useI18n } from './i18n/I18nProvider';
import type { ServerDraft } from './useServerDraft';

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

/** Drops a form's edits for the stored version, and the refusal that said so. */
export function discardEdits(save: Pick<UseMutationResult, 'reset'>, draft: Pick<ServerDraft<unknown, unknown>, 'loadSaved'>): void {
  save.reset();
  draft.loadSaved();
}

/**
 * What a form over a versioned record shows about its save (`save`, whose last try carried
 * `sentVersion`): a newer version that changed what the form edits (ChangedElsewhere, offering to
 * load it; only where `editable`); a refused save whose newer version left the edited fields alone,
 * now the form's base (save again: it will go through, nothing is overwritten); any other error.
 */
export function SaveOutcome(props: {
  save: Pick<UseMutationResult, 'error' | 'reset'>;
  sentVersion: number | undefined;
  draft: Pick<ServerDraft<unknown, unknown>, 'baseVersion' | 'changedElsewhere' | 'loadSaved'>;
  editable?: boolean;
  message?: string;
}) {
  const { t } = useI18n();
  const { save, sentVersion, draft, editable = true, message } = props;
  const { error } = save;
  if (editable && draft.changedElsewhere) return <ChangedElsewhere onLoad={() => discardEdits(save, draft)} message={message} />;
  if (!error) return null;
  if (isVersionConflict(error) && sentVersion !== undefined && draft.baseVersion > sentVersion) return <Notice>{t('common.saveAgain')}</Notice>;
  return <ErrorNotice error={error} />;
}
