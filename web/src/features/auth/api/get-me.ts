import { useQuery } from '@tanstack/react-query';
import { apiRequest, isApiError } from '@/lib/api-client';
import { zUser, type User } from '@/lib/api/contract';
import { authKeys } from './keys';

export const meQueryKey = authKeys.me;

/** GET /api/auth/me: the logged-in user, or null when not logged in (401). */
export async function getMe(signal?: AbortSignal): Promise<User | null> {
  try {
    return await apiRequest('GET', '/api/auth/me', { schema: zUser, signal });
  } catch (e) {
    if (isApiError(e) && e.status === 401) return null;
    throw e;
  }
}

export function useMe() {
  return useQuery({ queryKey: authKeys.me, queryFn: ({ signal }) => getMe(signal), staleTime: 60_000 });
}
