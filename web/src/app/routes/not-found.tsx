import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

export default function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <section className="empty-page" aria-labelledby="not-found-title">
      <p className="empty-page__code">404</p>
      <h1 id="not-found-title">{t('notFound.title')}</h1>
      <p>{t('notFound.body')}</p>
      <Link to="/" className="btn">
        {t('notFound.home')}
      </Link>
    </section>
  );
}
