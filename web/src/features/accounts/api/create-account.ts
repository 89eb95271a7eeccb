import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { zAccount, type Account, type NewAccount } from '@/lib/api/contract';
import { accountKeys } from '@/lib/api/queries/accounts';
import { dashboardKeys } from '@/lib/api/queries/dashboard';

/**
 * POST /api/accounts (admins): the server checks the credentials with STS first. 201 with the account; 422 names the
 * offending field ("credentials" when AWS rejects them); 409 (account_id) when the id is registered; 503 when STS
 * cannot be reached.
 */
export function createAccount(input: NewAccount): Promise<Account> {
  return apiRequest('POST', '/api/accounts', { body: input, schema: zAccount });
}

export function useCreateAccount() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: createAccount,
    onSuccess: (account) => {
      qc.setQueryData(accountKeys.detail(account.account_id), account);
      void qc.invalidateQueries({ queryKey: accountKeys.all });
      void qc.invalidateQueries({ queryKey: dashboardKeys.all });
    },
  });
}
