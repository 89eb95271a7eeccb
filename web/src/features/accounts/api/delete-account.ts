import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { accountKeys } from '@/lib/api/queries/accounts';
import { dashboardKeys } from '@/lib/api/queries/dashboard';

/** DELETE /api/accounts/{id} (admins): a soft delete, the account becomes inactive. */
export function deleteAccount(id: string): Promise<void> {
  return apiRequest('DELETE', `/api/accounts/${encodeURIComponent(id)}`);
}

export function useDeleteAccount(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => deleteAccount(id),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: accountKeys.all });
      void qc.invalidateQueries({ queryKey: dashboardKeys.all });
    },
  });
}
