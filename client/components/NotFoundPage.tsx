import { Link } from 'react-router';
import { useI18n } from './i18n/I18nProvider';

/** An address that names no screen. */
export function NotFoundPage() {
  const { t } = useI18n();
  return (
    <section className="narrow">
      <h1>{t('notFound.title')}</h1>
      <p>{t('notFound.body')}</p>
      <p>
        <Link to="/">{t('nav.myCalls')}</Link>
      </p>
    </section>
  );
}
