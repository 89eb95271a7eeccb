import { useQuery } from '@tanstack/react-query';
import { apiRequest, isApiError } from '@/lib/api-client';
import { userSchema, type User } from './schemas';

export const meQueryKey = ['auth', 'me'] as const;

/** GET /api/auth/me: the logged-in user, or null when not logged in (401). */
export async function getMe(signal?: AbortSignal): Promise<User | null> {
  try {
    return await apiRequest('GET', '/api/auth/me', { schema: userSchema, signal });
  } catch (e) {
    if (isApiError(e) && e.status === 401) return null;
    throw e;
  }
}

export function useMe() {
  return useQuery({ queryKey: meQueryKey, queryFn: ({ signal }) => getMe(signal), staleTime: 60_000 });
}
