import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

export function ForbiddenPage({ message }: { message?: string }) {
  const { t } = useTranslation();
  return (
    <section className="empty-page" aria-labelledby="forbidden-title">
      <p className="empty-page__code">403</p>
      <h1 id="forbidden-title">{t('forbidden.title')}</h1>
      <p>{message ?? t('forbidden.body')}</p>
      <Link to="/" className="btn">
        {t('notFound.home')}
      </Link>
    </section>
  );
}
