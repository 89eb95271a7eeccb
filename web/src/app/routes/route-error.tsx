import { useTranslation } from 'react-i18next';
import { useRouteError } from 'react-router';
import { ErrorMessage } from '@/components/ui';

/** Shown when a page fails to render or its code fails to load (e.g. an old tab after a new release). */
export function RouteError() {
  const { t } = useTranslation();
  const error = useRouteError();
  return (
    <section className="empty-page" role="alert">
      <h1>{t('routeError.title')}</h1>
      <p>{t('routeError.body')}</p>
      <ErrorMessage error={error} />
      <button type="button" className="btn btn--primary" onClick={() => window.location.reload()}>
        {t('routeError.reload')}
      </button>
    </section>
  );
}
