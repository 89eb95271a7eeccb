import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { accountKeys, accountSchema, type Account, type CredentialsInput } from './schemas';

export interface NewAccountInput {
  account_name: string;
  /** Optional: the server takes the id of the account the credentials belong to (checked with STS). */
  account_id?: string;
  regions: string[];
  teams: string[];
  credentials: CredentialsInput;
}

/**
 * POST /api/accounts (admins): the server checks the credentials with STS first. 201 with the account; 422 names the
 * offending field ("credentials" when AWS rejects them); 409 (account_id) when the id is registered; 503 when STS
 * cannot be reached.
 */
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
