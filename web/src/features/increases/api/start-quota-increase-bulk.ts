import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import {
  zRequestQuotaIncreasesBulkResponse,
  type IncreaseBulkRequest,
  type RequestQuotaIncreasesBulkResponse,
} from '@/lib/api/contract';
import { increaseKeys } from './keys';

/**
 * POST /api/quota-increases/bulk (admins): starts a background job (kind quota_increase) that requests the increase
 * for each target with the same checks as one request; 202 {job_id, total}. Follow it at /api/jobs/{id} and its
 * items (item.ref = the request made, item.error = the refusal or AWS's error).
 */
export function startQuotaIncreaseBulk(input: IncreaseBulkRequest): Promise<RequestQuotaIncreasesBulkResponse> {
  return apiRequest('POST', '/api/quota-increases/bulk', { body: input, schema: zRequestQuotaIncreasesBulkResponse });
}

export function useStartQuotaIncreaseBulk() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: startQuotaIncreaseBulk,
    onSuccess: () => void qc.invalidateQueries({ queryKey: increaseKeys.all }),
  });
}
