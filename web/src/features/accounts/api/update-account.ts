import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { zAccount, type Account, type AccountPatch } from '@/lib/api/contract';
import { accountKeys } from '@/lib/api/queries/accounts';
import { dashboardKeys } from '@/lib/api/queries/dashboard';
import { quotaKeys } from '@/lib/api/queries/quota';

/** PATCH /api/accounts/{id} (admins); with `version`, a stale one answers 409. */
export function updateAccount(id: string, patch: AccountPatch): Promise<Account> {
  return apiRequest('PATCH', `/api/accounts/${encodeURIComponent(id)}`, { body: patch, schema: zAccount });
}

export function useUpdateAccount(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (patch: AccountPatch) => updateAccount(id, patch),
    onSuccess: (account) => {
      qc.setQueryData(accountKeys.detail(id), account);
      void qc.invalidateQueries({ queryKey: accountKeys.lists });
      void qc.invalidateQueries({ queryKey: quotaKeys.account(id) });
      void qc.invalidateQueries({ queryKey: dashboardKeys.all });
    },
  });
}
