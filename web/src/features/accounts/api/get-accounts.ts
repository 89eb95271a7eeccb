import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { accountKeys, accountPageSchema, type AccountPage } from './schemas';

export interface AccountsQuery {
  status?: 'active' | 'inactive' | 'all';
  team?: string;
  search?: string;
  page?: number;
  page_size?: number;
}

/** GET /api/accounts: the accounts the caller may see, filtered and paginated. */
export function getAccounts(q: AccountsQuery, signal?: AbortSignal): Promise<AccountPage> {
  return apiRequest('GET', '/api/accounts', { query: { ...q }, schema: accountPageSchema, signal });
}

export function useAccounts(q: AccountsQuery) {
  return useQuery({
    queryKey: accountKeys.list(q),
    queryFn: ({ signal }) => getAccounts(q, signal),
    placeholderData: keepPreviousData,
  });
}
