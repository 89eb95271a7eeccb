// Account list reads shared by several features (accounts, dashboard), with the accounts key factory.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { zAccountPage, type AccountPage, type ListAccountsData } from '../contract';

/** Every query key of account data; invalidate `accountKeys.all` after any account change. */
export const accountKeys = {
  all: ['accounts'] as const,
  lists: ['accounts', 'list'] as const,
  list: (q: AccountsQuery) => ['accounts', 'list', q] as const,
  detail: (id: string) => ['accounts', 'detail', id] as const,
  billing: (id: string) => ['accounts', 'billing', id] as const,
};

export type AccountsQuery = NonNullable<ListAccountsData['query']>;

/** GET /api/accounts: the accounts the caller may see, filtered and paginated. */
export function getAccounts(q: AccountsQuery, signal?: AbortSignal): Promise<AccountPage> {
  return apiRequest('GET', '/api/accounts', { query: { ...q }, schema: zAccountPage, signal });
}

export function useAccounts(q: AccountsQuery) {
  return useQuery({
    queryKey: accountKeys.list(q),
    queryFn: ({ signal }) => getAccounts(q, signal),
    placeholderData: keepPreviousData,
  });
}
