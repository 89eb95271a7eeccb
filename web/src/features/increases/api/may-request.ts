import { isApiError } from '@/lib/api-client';

/** Whether an error is the server's "you may not request increases" (403). */
export function isForbidden(error: unknown): boolean {
  return isApiError(error) && error.status === 403;
}
