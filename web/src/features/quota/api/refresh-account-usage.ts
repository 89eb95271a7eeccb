import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { zRefreshUsageResponse, type RefreshUsageResponse } from '@/lib/api/contract';
import { dashboardKeys } from '@/lib/api/queries/dashboard';
import { quotaKeys } from '@/lib/api/queries/quota';
import { usageKeys } from '@/lib/api/queries/usage';

export type UsageRefreshResult = RefreshUsageResponse;

/**
 * POST /api/accounts/{id}/usage/refresh: polls the account's CloudWatch usage in every region now. 200 with one report
 * per region; a region AWS could not be read in is `stale` with its message (not an error of the request).
 */
export function refreshAccountUsage(accountId: string): Promise<UsageRefreshResult> {
  return apiRequest('POST', `/api/accounts/${encodeURIComponent(accountId)}/usage/refresh`, {
    schema: zRefreshUsageResponse,
  });
}

/** The refresh; on success the account's quota reads (which carry the usage), usage history and the dashboard refetch. */
export function useRefreshAccountUsage(accountId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => refreshAccountUsage(accountId),
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: quotaKeys.account(accountId) });
      void qc.invalidateQueries({ queryKey: usageKeys.all });
      void qc.invalidateQueries({ queryKey: dashboardKeys.all });
    },
  });
}
