import { isApiError } from './api-client';

/**
 * The API's message for a form control: a 422 (or a 409 "already exists") naming the control ("account_id"), or an
 * element or member of it ("regions[2]", "credentials.access_key_id" for "credentials").
 */
export function fieldError(error: unknown, name: string): string | null {
  if (!isApiError(error) || (error.status !== 422 && error.status !== 409) || !error.field) return null;
  const f = error.field;
  if (f === name || f.startsWith(`${name}[`) || f.startsWith(`${name}.`)) return error.detail;
  return null;
}

/** Whether a 422 names one of the given fields (else the form shows it at the top). */
export function isFieldErrorFor(error: unknown, names: string[]): boolean {
  return names.some((n) => fieldError(error, n) !== null);
}
