import { useTranslation } from 'react-i18next';
import { isApiError } from '@/lib/api-client';
import { errorSummary } from '@/lib/errors';

/** An error as a translated summary, the server's detail and the request id to quote. */
export function ErrorMessage({ error, className }: { error: unknown; className?: string }) {
  const { t } = useTranslation();
  if (!error) return null;
  const api = isApiError(error) ? error : null;
  return (
    <div className={`alert alert--error${className ? ` ${className}` : ''}`} role="alert">
      <strong>{errorSummary(t, error)}</strong>
      {api && api.message && api.status !== 0 && <span className="alert__detail"> {api.message}</span>}
      {api?.request_id && <span className="alert__meta"> {t('errors.requestId', { id: api.request_id })}</span>}
    </div>
  );
}
