import { useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import type { User } from '@/lib/api/contract';
import { vSessionState } from '@/lib/api/first-load-contract';
import { authKeys } from './keys';

export const meQueryKey = authKeys.me;

/**
 * GET /api/auth/session: the logged-in user, or null when not logged in. Public and always 200, so a logged-out
 * load is no failed request (a 401 from /api/auth/me would print an error in the browser's console).
 */
export async function getMe(signal?: AbortSignal): Promise<User | null> {
  const session = await apiRequest('GET', '/api/auth/session', { schema: vSessionState, signal });
  return session.user;
}

/** The session query (useMe; app/providers.tsx starts it before the first render). */
export const meQuery = {
  queryKey: authKeys.me,
  queryFn: ({ signal }: { signal?: AbortSignal }) => getMe(signal),
  staleTime: 60_000,
};

export function useMe() {
  return useQuery(meQuery);
}
