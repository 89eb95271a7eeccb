import { useInfiniteQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { zListHeadroomResponse, type HeadroomPage } from '@/lib/api/contract';
import { usageKeys } from '@/lib/api/queries/usage';

export type { HeadroomEntry, HeadroomPage } from '@/lib/api/contract';

const LIMIT = 10;

/**
 * GET /api/usage/headroom?team=&cursor=&limit=: (account, region, model) entries, least 24-hour headroom first.
 * `team` null asks for the whole fleet (admins only: users must name one of their teams, else 422).
 */
export function getHeadroom(
  team: string | null,
  cursor: string | undefined,
  limit = LIMIT,
  signal?: AbortSignal,
): Promise<HeadroomPage> {
  return apiRequest('GET', '/api/usage/headroom', {
    query: { team: team ?? undefined, cursor, limit },
    schema: zListHeadroomResponse,
    signal,
  });
}

/** The list's pages so far ("Load more" fetches the next by its cursor); `enabled` false asks nothing. */
export function useHeadroom(team: string | null, enabled = true) {
  return useInfiniteQuery({
    queryKey: usageKeys.headroom(team),
    queryFn: ({ pageParam, signal }) => getHeadroom(team, pageParam, LIMIT, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
    enabled,
  });
}
