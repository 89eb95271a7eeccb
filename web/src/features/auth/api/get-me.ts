import { useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { zSessionState, type User } from '@/lib/api/contract';
import { authKeys } from './keys';

export const meQueryKey = authKeys.me;

/**
 * GET /api/auth/session: the logged-in user, or null when not logged in. Public and always 200, so a logged-out
 * load is no failed request (a 401 from /api/auth/me would print an error in the browser's console).
 */
export async function getMe(signal?: AbortSignal): Promise<User | null> {
  const session = await apiRequest('GET', '/api/auth/session', { schema: zSessionState, signal });
  return session.user;
}

export function useMe() {
  return useQuery({ queryKey: authKeys.me, queryFn: ({ signal }) => getMe(signal), staleTime: 60_000 });
}
