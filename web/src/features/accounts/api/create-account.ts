import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { accountKeys, accountSchema, type Account, type CredentialsInput } from './schemas';

export interface NewAccountInput {
  account_name: string;
  account_id: string;
  regions: string[];
  teams: string[];
  credentials: CredentialsInput;
}

/** POST /api/accounts (admins): 201 with the account; 422 names the offending field. */
export function createAccount(input: NewAccountInput): Promise<Account> {
  return apiRequest('POST', '/api/accounts', { body: input, schema: accountSchema });
}

export function useCreateAccount() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: createAccount,
    onSuccess: (account) => {
      qc.setQueryData(accountKeys.detail(account.account_id), account);
      void qc.invalidateQueries({ queryKey: accountKeys.all });
      void qc.invalidateQueries({ queryKey: ['dashboard'] });
    },
  });
}
