import { useInfiniteQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { zQuotaIncreasePage, type QuotaIncreasePage } from '@/lib/api/contract';
import { increaseKeys, type IncreasesQuery } from './keys';

export type { QuotaIncreaseRequest, IncreaseStatus } from '@/lib/api/contract';

/**
 * GET /api/quota-increases: one cursor page of increase requests, newest first. Admins see the fleet (or one account
 * with account_id); users must name an account they may read.
 */
export function listQuotaIncreases(q: IncreasesQuery, signal?: AbortSignal): Promise<QuotaIncreasePage> {
  return apiRequest('GET', '/api/quota-increases', { query: { ...q }, schema: zQuotaIncreasePage, signal });
}

/** While a loaded request is open the loaded pages are re-read this often (the server checks AWS on a schedule). */
export const OPEN_POLL_MS = 30_000;

/**
 * The list as "Load more" pages: each page is asked for with the `next` of the one before (never an offset). The
 * loaded pages are re-read every OPEN_POLL_MS while one of their requests is open.
 */
export function useQuotaIncreases(q: Omit<IncreasesQuery, 'cursor'>) {
  return useInfiniteQuery({
    queryKey: increaseKeys.list(q),
    queryFn: ({ pageParam, signal }) => listQuotaIncreases({ ...q, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
    refetchInterval: (query) =>
      query.state.data?.pages.some((p) => p.items.some((r) => r.open)) ? OPEN_POLL_MS : false,
  });
}
