import type { ReactNode } from 'react';
import { isApiError } from '@/lib/api-client';
import { isFieldErrorFor } from '@/lib/form-errors';
import { ErrorMessage } from './error-message';
import { Notice } from './misc';

/**
 * A form's error at the top of the form: nothing when there is none or when it names one of the form's `fields`
 * (the field shows it, see fieldError); `conflict`, when given, for a 409 that names no field (e.g. a stale
 * version); else the error itself.
 */
export function FormError({ error, fields, conflict }: { error: unknown; fields: string[]; conflict?: ReactNode }) {
  if (!error || isFieldErrorFor(error, fields)) return null;
  if (conflict && isApiError(error) && error.status === 409) return <Notice tone="error">{conflict}</Notice>;
  return <ErrorMessage error={error} />;
}
