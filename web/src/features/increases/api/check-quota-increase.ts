import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { zQuotaIncreaseRequest, type QuotaIncreaseRequest } from '@/lib/api/contract';
import { dashboardKeys } from '@/lib/api/queries/dashboard';
import { quotaKeys } from '@/lib/api/queries/quota';
import { increaseKeys } from './keys';

/** POST /api/quota-increases/{id}/check: reads the request's status from AWS now; 200 with the request as stored. */
export function checkQuotaIncrease(requestId: string): Promise<QuotaIncreaseRequest> {
  return apiRequest('POST', `/api/quota-increases/${encodeURIComponent(requestId)}/check`, {
    schema: zQuotaIncreaseRequest,
  });
}

export function useCheckQuotaIncrease() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: checkQuotaIncrease,
    onSuccess: (r) => {
      void qc.invalidateQueries({ queryKey: increaseKeys.all });
      // An approved request makes the server refresh the value: show the account's new quota.
      if (r.status === 'APPROVED') {
        void qc.invalidateQueries({ queryKey: quotaKeys.account(r.account_id) });
        void qc.invalidateQueries({ queryKey: dashboardKeys.all });
      }
    },
  });
}
