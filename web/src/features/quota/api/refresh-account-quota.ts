import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { zRefreshQuotaResponse, type RefreshQuotaResponse } from '@/lib/api/contract';
import { dashboardKeys } from '@/lib/api/queries/dashboard';
import { quotaKeys } from '@/lib/api/queries/quota';

/**
 * POST /api/accounts/{id}/quota/refresh?region=: reads the quotas from AWS now. 200 with the quota read plus each
 * value's outcome (`refresh`); 502 when nothing could be read (the values were then marked stale).
 */
export function refreshAccountQuota(accountId: string, region: string): Promise<RefreshQuotaResponse> {
  return apiRequest('POST', `/api/accounts/${encodeURIComponent(accountId)}/quota/refresh`, {
    query: { region },
    schema: zRefreshQuotaResponse,
  });
}

export function useRefreshAccountQuota(accountId: string, region: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => refreshAccountQuota(accountId, region),
    onSuccess: (read) => {
      qc.setQueryData(quotaKeys.read(accountId, region), read);
      void qc.invalidateQueries({ queryKey: quotaKeys.histories(accountId) });
      void qc.invalidateQueries({ queryKey: dashboardKeys.all });
    },
    onError: () => {
      // A failed refresh may still have marked values stale or errored: show what the server now has.
      void qc.invalidateQueries({ queryKey: quotaKeys.read(accountId, region) });
      void qc.invalidateQueries({ queryKey: quotaKeys.histories(accountId) });
      void qc.invalidateQueries({ queryKey: dashboardKeys.all });
    },
  });
}
