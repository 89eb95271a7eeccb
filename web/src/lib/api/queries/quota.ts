// Cached quota reads shared by several features (quota, dashboard), with the quota key factory.
import { useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { zQuotaRead, type QuotaRead } from '../contract';

/** Every query key of quota data; `quotaKeys.account(id)` covers all of one account's reads and history. */
export const quotaKeys = {
  all: ['quota'] as const,
  account: (accountId: string) => ['quota', accountId] as const,
  read: (accountId: string, region: string) => ['quota', accountId, 'read', region] as const,
  histories: (accountId: string) => ['quota', accountId, 'history'] as const,
  history: (accountId: string, region: string, modelId: string) =>
    ['quota', accountId, 'history', region, modelId] as const,
};

/** GET /api/accounts/{id}/quota?region=: the cached quotas (never calls AWS); region defaults to the first one. */
export function getAccountQuota(accountId: string, region: string, signal?: AbortSignal): Promise<QuotaRead> {
  return apiRequest('GET', `/api/accounts/${encodeURIComponent(accountId)}/quota`, {
    query: { region },
    schema: zQuotaRead,
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
