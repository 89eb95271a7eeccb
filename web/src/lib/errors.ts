import type { TFunction } from 'i18next';
import { isApiError } from './api-client';

/** A translated one-line summary of any error, for the UI. The server's own text is shown beside it, not instead. */
export function errorSummary(t: TFunction, e: unknown): string {
  if (!isApiError(e)) return t('errors.unexpected');
  if (e.status === 0) return t('errors.network');
  switch (e.status) {
    case 400:
      return t('errors.badRequest');
    case 401:
      return t('errors.unauthenticated');
    case 403:
      return t('errors.forbidden');
    case 404:
      return t('errors.notFound');
    case 409:
      return t('errors.conflict');
    case 422:
      return t('errors.validation');
    case 429:
      return t('errors.throttled');
    case 502:
      return t('errors.upstream');
    case 503:
      return t('errors.unavailable');
    case 504:
      return t('errors.timeout');
    default:
      if (e.code === 'invalid_response') return t('errors.invalidResponse');
      return e.status >= 500 ? t('errors.server') : t('errors.unexpected');
  }
}
