import { useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { zQuotaIncreaseRequest, type QuotaIncreaseRequest } from '@/lib/api/contract';
import { increaseKeys } from './keys';

/** GET /api/quota-increases/{id}: one request as stored (no AWS call). */
export function getQuotaIncrease(requestId: string, signal?: AbortSignal): Promise<QuotaIncreaseRequest> {
  return apiRequest('GET', `/api/quota-increases/${encodeURIComponent(requestId)}`, {
    schema: zQuotaIncreaseRequest,
    signal,
  });
}

export function useQuotaIncrease(requestId: string | undefined) {
  return useQuery({
    queryKey: [...increaseKeys.all, 'one', requestId ?? ''] as const,
    queryFn: ({ signal }) => getQuotaIncrease(requestId ?? '', signal),
    enabled: Boolean(requestId),
  });
}
