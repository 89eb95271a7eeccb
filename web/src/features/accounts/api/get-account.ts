import { useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { zAccount, type Account } from '@/lib/api/contract';
import { accountKeys } from '@/lib/api/queries/accounts';

/** GET /api/accounts/{id}: 403 when the account is not assigned to the caller's teams, 404 when unknown. */
export function getAccount(id: string, signal?: AbortSignal): Promise<Account> {
  return apiRequest('GET', `/api/accounts/${encodeURIComponent(id)}`, { schema: zAccount, signal });
}

/** The account; polled while a quota refresh of it runs (e.g. the first one, started when it was added). */
export function useAccount(id: string, pollMs = 1500) {
  return useQuery({
    queryKey: accountKeys.detail(id),
    queryFn: ({ signal }) => getAccount(id, signal),
    refetchInterval: (q) => (q.state.data?.refreshing ? pollMs : false),
  });
}
