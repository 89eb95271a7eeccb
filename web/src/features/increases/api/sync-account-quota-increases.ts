import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { zIncreaseSyncReport, type IncreaseSyncReport } from '@/lib/api/contract';
import { increaseKeys } from './keys';

/**
 * POST /api/accounts/{id}/quota-increases/sync: reads AWS's request history for the account's configured quotas
 * and regions: finds requests made outside the platform and updates known ones. 200 with the counts and failures.
 */
export function syncAccountQuotaIncreases(accountId: string): Promise<IncreaseSyncReport> {
  return apiRequest('POST', `/api/accounts/${encodeURIComponent(accountId)}/quota-increases/sync`, {
    schema: zIncreaseSyncReport,
  });
}

export function useSyncAccountQuotaIncreases(accountId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => syncAccountQuotaIncreases(accountId),
    onSuccess: () => void qc.invalidateQueries({ queryKey: increaseKeys.all }),
  });
}
