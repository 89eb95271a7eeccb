import { useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { quotaKeys, quotaReadSchema, type QuotaRead } from './schemas';

/** GET /api/accounts/{id}/quota?region=: the cached quotas (never calls AWS); region defaults to the first one. */
export function getAccountQuota(accountId: string, region: string, signal?: AbortSignal): Promise<QuotaRead> {
  return apiRequest('GET', `/api/accounts/${encodeURIComponent(accountId)}/quota`, {
    query: { region },
    schema: quotaReadSchema,
    signal,
  });
}

/** The cached read; `pollMs` re-reads it while the server is refreshing the account. */
export function useAccountQuota(accountId: string, region: string, pollMs: number | false = false) {
  return useQuery({
    queryKey: quotaKeys.read(accountId, region),
    queryFn: ({ signal }) => getAccountQuota(accountId, region, signal),
    refetchInterval: pollMs,
  });
}
