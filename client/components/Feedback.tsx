import { useEffect, useRef, type ReactNode } from 'react';
import { ApiRequestError } from '../api/http';
import { useI18n, type I18n } from './i18n/I18nProvider';

/** A translated sentence for any error (API codes are translated; anything else gets a generic line). */
export function errorText(i18n: I18n, error: unknown): string {
  if (error instanceof ApiRequestError) {
    const key = `error.${error.code}`;
    if (i18n.has(key)) return i18n.t(key);
    return i18n.t('error.generic', { message: error.message });
  }
  return i18n.t('error.unexpected');
}

/** Per-field problems of a validation error, for showing next to inputs. */
export function fieldErrors(error: unknown): Readonly<Record<string, string>> {
  return error instanceof ApiRequestError ? error.fields : {};
}

/** A polite progress line for work in flight (screen readers hear it once). */
export function Loading({ label }: { label?: string }) {
  const { t } = useI18n();
  return (
    <p className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label ?? t('common.loading')}
    </p>
  );
}

/**
 * An error announced to assistive technology, with an optional retry; `message` replaces the error's
 * own line. `takeFocus`: when the notice replaces the screen the keyboard was on (access ended), focus
 * moves to it instead of falling back to the page's start.
 */
export function ErrorNotice({ error, onRetry, message, takeFocus }: { error: unknown; onRetry?: () => void; message?: string; takeFocus?: boolean }) {
  const i18n = useI18n();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (takeFocus) ref.current?.focus();
  }, [takeFocus]);
  return (
    <div className="notice notice-error" role="alert" ref={ref} tabIndex={takeFocus ? -1 : undefined}>
      <p>{message ?? errorText(i18n, error)}</p>
      {error instanceof ApiRequestError && Object.keys(error.fields).length > 0 && (
        <ul>
          {Object.entries(error.fields).map(([field, problem]) => (
            <li key={field}>
              <code>{field}</code>: <span lang="en">{problem}</span>
            </li>
          ))}
        </ul>
      )}
      {onRetry && (
        <button type="button" onClick={onRetry}>
          {i18n.t('common.retry')}
        </button>
      )}
    </div>
  );
}

/** A calm note (success, info). */
export function Notice({ children, tone = 'info' }: { children: ReactNode; tone?: 'info' | 'success' | 'warning' }) {
  return (
    <div className={`notice notice-${tone}`} role="status">
      {children}
    </div>
  );
}

/**
 * Loading / error / content switch for one query. `errorMessage`: what to say instead of the error's
 * own line, when the caller knows better (access ended); no retry is offered then.
 */
export function QueryState<T>({
  query,
  children,
  loadingLabel,
  errorMessage,
}: {
  query: { data: T | undefined; error: unknown; isPending: boolean; refetch: () => unknown };
  children: (data: T) => ReactNode;
  loadingLabel?: string;
  errorMessage?: string;
}) {
  if (query.isPending) return <Loading label={loadingLabel} />;
  if (errorMessage !== undefined && query.error) return <ErrorNotice error={query.error} message={errorMessage} takeFocus />;
  if (query.error || query.data === undefined) return <ErrorNotice error={query.error} onRetry={() => query.refetch()} />;
  return <>{children(query.data)}</>;
}
