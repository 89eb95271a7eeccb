// Every query key of the organizations feature.
import type { ListOrganizationAccountsData } from '@/lib/api/contract';

/** The query of GET /api/admin/organizations/{id}/accounts: registered, cursor and page_size. */
export type OrganizationQuery = NonNullable<ListOrganizationAccountsData['query']>;

export const organizationKeys = {
  all: ['organizations'] as const,
  accounts: (managementAccountId: string, q: OrganizationQuery) =>
    ['organizations', managementAccountId, 'accounts', q] as const,
};
