import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { useSession } from '@/lib/session';
import { zAccountQuotaIncreasePage, type AccountQuotaIncreasePage } from '@/lib/api/contract';
import { increaseKeys, type IncreasesQuery } from './keys';
import { OPEN_POLL_MS } from './list-quota-increases';

/** The query of the account's list: status, open, cursor and limit (the account is in the path). */
export type AccountIncreasesQuery = Omit<IncreasesQuery, 'account_id'>;

/**
 * GET /api/accounts/{id}/quota-increases: one cursor page of the account's requests, newest first, and `may_request`
 * (whether the caller may request, check and sync for this account).
 */
export function listAccountQuotaIncreases(
  accountId: string,
  q: AccountIncreasesQuery,
  signal?: AbortSignal,
): Promise<AccountQuotaIncreasePage> {
  return apiRequest('GET', `/api/accounts/${encodeURIComponent(accountId)}/quota-increases`, {
    query: { ...q },
    schema: zAccountQuotaIncreasePage,
    signal,
  });
}

/** The account's list as "Load more" pages, re-read while one of the loaded requests is open. */
export function useAccountQuotaIncreases(accountId: string, q: Omit<AccountIncreasesQuery, 'cursor'>) {
  return useInfiniteQuery({
    queryKey: increaseKeys.account(accountId, q),
    queryFn: ({ pageParam, signal }) => listAccountQuotaIncreases(accountId, { ...q, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
    refetchInterval: (query) =>
      query.state.data?.pages.some((p) => p.items.some((r) => r.open)) ? OPEN_POLL_MS : false,
  });
}

/**
 * Whether the caller may request increases for the account (and check and sync its requests): admins may; a user
 * may only when the server says so (it runs with --users-may-request and the account is one of their teams'),
 * read once per account from a one-item page of its list. False while unknown: the actions appear once allowed.
 */
export function useAccountMayRequest(accountId: string): boolean {
  const { isAdmin } = useSession();
  const page = useQuery({
    queryKey: increaseKeys.mayRequest(accountId),
    queryFn: ({ signal }) => listAccountQuotaIncreases(accountId, { limit: 1 }, signal),
    enabled: !isAdmin,
    staleTime: 5 * 60_000,
  });
  return isAdmin || page.data?.may_request === true;
}
