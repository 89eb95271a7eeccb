import { isApiError } from './api-client';

/**
 * The API's 422 message for a form control: the error's field is the control's name ("account_id"), or an element
 * or member of it ("regions[2]", "credentials.access_key_id" for "credentials").
 */
export function fieldError(error: unknown, name: string): string | null {
  if (!isApiError(error) || error.status !== 422 || !error.field) return null;
  const f = error.field;
  if (f === name || f.startsWith(`${name}[`) || f.startsWith(`${name}.`)) return error.detail;
  return null;
}

/** Whether a 422 names one of the given fields (else the form shows it at the top). */
export function isFieldErrorFor(error: unknown, names: string[]): boolean {
  return names.some((n) => fieldError(error, n) !== null);
}
