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

export function useAccountQuota(accountId: string, region: string, enabled = true) {
  return useQuery({
    queryKey: quotaKeys.read(accountId, region),
    queryFn: ({ signal }) => getAccountQuota(accountId, region, signal),
    enabled,
  });
}
