import { useI18n } from '../../components/i18n/I18nProvider';

/** The server's problems whose field path is `path` or lies under it (`agencies.1` covers `agencies.1.code`). */
export function problemsAt(errors: Readonly<Record<string, string>> | undefined, path: string, exact = false): [string, string][] {
  if (!errors) return [];
  return Object.entries(errors).filter(([field]) => field === path || (!exact && field.startsWith(`${path}.`)));
}

/** The DOM id of a field's error line, for `aria-describedby`. */
export const fieldErrorId = (path: string) => `error-${path.replace(/[^A-Za-z0-9_-]/g, '-')}`;

/**
 * The server's validation problems for one field (or group), shown next to it. The server writes
 * its messages in English, so they are marked `lang="en"` under a translated lead-in.
 */
export function FieldError({ errors, path, exact = false }: { errors?: Readonly<Record<string, string>>; path: string; exact?: boolean }) {
  const { t } = useI18n();
  const problems = problemsAt(errors, path, exact);
  if (problems.length === 0) return null;
  return (
    <p className="field-error" id={fieldErrorId(path)} role="alert">
      <span>{t('platform.fieldProblem')}</span>{' '}
      {problems.map(([field, message]) => (
        <span key={field} lang="en" data-field={field}>
          {message}
          {field !== path ? ` (${field})` : ''}{' '}
        </span>
      ))}
    </p>
  );
}

/** Props that mark an input invalid and point it at its error line. */
export function invalidProps(errors: Readonly<Record<string, string>> | undefined, path: string) {
  return problemsAt(errors, path, true).length > 0 ? { 'aria-invalid': true as const, 'aria-describedby': fieldErrorId(path) } : {};
}
