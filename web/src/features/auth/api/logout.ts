import { apiRequest } from '@/lib/api-client';

/** POST /api/auth/logout: ends the session and clears the cookie. */
export function logout(): Promise<void> {
  return apiRequest('POST', '/api/auth/logout');
}
