import { useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { zGetQuotaHistoryResponse, type GetQuotaHistoryResponse } from '@/lib/api/contract';
import { quotaKeys } from '@/lib/api/queries/quota';

export type QuotaHistory = GetQuotaHistoryResponse;

/** GET /api/accounts/{id}/quota/history?model_id=&region=: the model's cached-value events, oldest first. */
export function getQuotaHistory(
  accountId: string,
  region: string,
  modelId: string,
  signal?: AbortSignal,
): Promise<QuotaHistory> {
  return apiRequest('GET', `/api/accounts/${encodeURIComponent(accountId)}/quota/history`, {
    query: { model_id: modelId, region },
    schema: zGetQuotaHistoryResponse,
    signal,
  });
}

export function useQuotaHistory(accountId: string, region: string, modelId: string | undefined) {
  return useQuery({
    queryKey: quotaKeys.history(accountId, region, modelId ?? ''),
    queryFn: ({ signal }) => getQuotaHistory(accountId, region, modelId ?? '', signal),
    enabled: Boolean(modelId),
  });
}
