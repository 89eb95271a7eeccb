import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { zOrganizationAccountPage, type OrganizationAccountPage } from '@/lib/api/contract';
import { organizationKeys, type OrganizationQuery } from './keys';

export type { OrganizationAccount, OrganizationAccountPage } from '@/lib/api/contract';

/**
 * GET /api/admin/organizations/{id}/accounts (admins): one page of the AWS organization read through the registered
 * management (or delegated administrator) account, with OU path, AWS status and registration. 409 when AWS refuses
 * (the message starts with AWS's code); 404 when the account is not registered.
 */
export function listOrganizationAccounts(
  managementAccountId: string,
  query: OrganizationQuery,
  signal?: AbortSignal,
): Promise<OrganizationAccountPage> {
  return apiRequest('GET', `/api/admin/organizations/${encodeURIComponent(managementAccountId)}/accounts`, {
    query,
    schema: zOrganizationAccountPage,
    signal,
  });
}

export function useOrganizationAccounts(managementAccountId: string, query: OrganizationQuery) {
  return useQuery({
    queryKey: organizationKeys.accounts(managementAccountId, query),
    queryFn: ({ signal }) => listOrganizationAccounts(managementAccountId, query, signal),
    enabled: managementAccountId !== '',
    placeholderData: keepPreviousData,
    retry: false,
  });
}
