import { useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { zGetUsageHistoryResponse, type UsageHistory } from '@/lib/api/contract';
import { usageKeys } from '@/lib/api/queries/usage';

export type { UsageHistory, UsageHistoryPoint } from '@/lib/api/contract';

/**
 * GET /api/accounts/{id}/usage/history?region=&model_id=: the model's hourly usage over the last 7 days (the busiest
 * minute of each hour), oldest first; an hour without data has null figures, never 0.
 */
export function getUsageHistory(
  accountId: string,
  region: string,
  modelId: string,
  signal?: AbortSignal,
): Promise<UsageHistory> {
  return apiRequest('GET', `/api/accounts/${encodeURIComponent(accountId)}/usage/history`, {
    query: { region, model_id: modelId },
    schema: zGetUsageHistoryResponse,
    signal,
  });
}

export function useUsageHistory(accountId: string, region: string, modelId: string | undefined) {
  return useQuery({
    queryKey: usageKeys.history(accountId, region, modelId ?? ''),
    queryFn: ({ signal }) => getUsageHistory(accountId, region, modelId ?? '', signal),
    enabled: Boolean(modelId),
  });
}
