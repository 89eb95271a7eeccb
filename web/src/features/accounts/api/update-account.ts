import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { accountKeys, accountSchema, type Account, type AccountStatus, type CredentialsInput } from './schemas';

export interface AccountPatch {
  account_name?: string;
  regions?: string[];
  teams?: string[];
  credentials?: CredentialsInput;
  status?: AccountStatus;
  /** The version read; a stale one answers 409. */
  version?: number;
}

/** PATCH /api/accounts/{id} (admins). */
export function updateAccount(id: string, patch: AccountPatch): Promise<Account> {
  return apiRequest('PATCH', `/api/accounts/${encodeURIComponent(id)}`, { body: patch, schema: accountSchema });
}

export function useUpdateAccount(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (patch: AccountPatch) => updateAccount(id, patch),
    onSuccess: (account) => {
      qc.setQueryData(accountKeys.detail(id), account);
      void qc.invalidateQueries({ queryKey: ['accounts', 'list'] });
      void qc.invalidateQueries({ queryKey: ['quota', id] });
      void qc.invalidateQueries({ queryKey: ['dashboard'] });
    },
  });
}
