import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { zRefreshQuotaResponse, type RefreshQuotaResponse } from '@/lib/api/contract';
import { dashboardKeys } from '@/lib/api/queries/dashboard';
import { quotaKeys } from '@/lib/api/queries/quota';

/**
 * POST /api/accounts/{id}/quota/refresh?region= from a dashboard cell that was never read (issue 16 §3): reads the
 * (account, region) now; the dashboard and the account's quota reads are reloaded whatever the outcome (a failed read
 * marks the values, so the cell then says why).
 */
export function refreshRow(accountId: string, region: string): Promise<RefreshQuotaResponse> {
  return apiRequest('POST', `/api/accounts/${encodeURIComponent(accountId)}/quota/refresh`, {
    query: { region },
    schema: zRefreshQuotaResponse,
  });
}

export function useRefreshRow(accountId: string, region: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => refreshRow(accountId, region),
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: dashboardKeys.all });
      void qc.invalidateQueries({ queryKey: quotaKeys.account(accountId) });
    },
  });
}
