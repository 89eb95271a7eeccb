import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import {
  zOrganizationRegistrationResult,
  type OrganizationRegistration,
  type OrganizationRegistrationResult,
} from '@/lib/api/contract';
import { accountKeys } from '@/lib/api/queries/accounts';
import { organizationKeys } from './keys';

export type { OrganizationRegistrationOutcome, OrganizationRegistrationResult } from '@/lib/api/contract';

/**
 * POST /api/admin/organizations/{id}/register (admins): registers up to 100 accounts of the organization through a
 * role and external id, each checked with STS; 200 with one outcome per account (some may have failed); 422 names
 * the offending field.
 */
export function registerOrganizationAccounts(
  managementAccountId: string,
  input: OrganizationRegistration,
): Promise<OrganizationRegistrationResult> {
  return apiRequest('POST', `/api/admin/organizations/${encodeURIComponent(managementAccountId)}/register`, {
    body: input,
    schema: zOrganizationRegistrationResult,
  });
}

export function useRegisterOrganizationAccounts(managementAccountId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: OrganizationRegistration) => registerOrganizationAccounts(managementAccountId, input),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: organizationKeys.all });
      void qc.invalidateQueries({ queryKey: accountKeys.all });
    },
  });
}
