import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { zQuotaIncreaseRequest, type IncreaseCreateRequest, type QuotaIncreaseRequest } from '@/lib/api/contract';
import { increaseKeys } from './keys';

/**
 * POST /api/accounts/{id}/quota-increases: sends the request to AWS now; 201 with the stored request. 422 names the
 * field (desired_value, dimension, region …), 409 when a request for the quota is open (field quota_code) or the
 * account has 20 open, 403 for a user unless the server runs with --users-may-request, 502 for AWS failures.
 */
export function requestQuotaIncrease(accountId: string, input: IncreaseCreateRequest): Promise<QuotaIncreaseRequest> {
  return apiRequest('POST', `/api/accounts/${encodeURIComponent(accountId)}/quota-increases`, {
    body: input,
    schema: zQuotaIncreaseRequest,
  });
}

export function useRequestQuotaIncrease(accountId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: IncreaseCreateRequest) => requestQuotaIncrease(accountId, input),
    onSuccess: () => void qc.invalidateQueries({ queryKey: increaseKeys.all }),
  });
}
