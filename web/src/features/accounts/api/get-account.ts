import { useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { accountKeys, accountSchema, type Account } from './schemas';

/** GET /api/accounts/{id}: 403 when the account is not assigned to the caller's teams, 404 when unknown. */
export function getAccount(id: string, signal?: AbortSignal): Promise<Account> {
  return apiRequest('GET', `/api/accounts/${encodeURIComponent(id)}`, { schema: accountSchema, signal });
}

export function useAccount(id: string) {
  return useQuery({ queryKey: accountKeys.detail(id), queryFn: ({ signal }) => getAccount(id, signal) });
}
