import type { TFunction } from 'i18next';
import { isApiError } from './api-client';

/** The summary of each HTTP status the UI names (i18n keys). */
const BY_STATUS: Record<number, string> = {
  0: 'errors.network',
  400: 'errors.badRequest',
  401: 'errors.unauthenticated',
  403: 'errors.forbidden',
  404: 'errors.notFound',
  409: 'errors.conflict',
  422: 'errors.validation',
  429: 'errors.throttled',
  502: 'errors.upstream',
  503: 'errors.unavailable',
  504: 'errors.timeout',
};

/** A translated one-line summary of any error, for the UI. The server's own text is shown beside it, not instead. */
export function errorSummary(t: TFunction, e: unknown): string {
  if (!isApiError(e)) return t('errors.unexpected');
  const key = BY_STATUS[e.status];
  if (key) return t(key);
  if (e.code === 'invalid_response') return t('errors.invalidResponse');
  return e.status >= 500 ? t('errors.server') : t('errors.unexpected');
}
