import { keepPreviousData, useQuery, type QueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { zDashboardStats, type DashboardStats } from '@/lib/api/contract';
import { dashboardKeys, type DashboardStatsQuery } from '@/lib/api/queries/dashboard';

export type { DashboardModel, DashboardStats, DimensionTotals } from '@/lib/api/contract';

/**
 * GET /api/dashboard/stats: fleet totals (fresh values only) of the dashboard models over the caller's accounts, and
 * one cursor page of (account, region) rows with their values (`next` is the cursor of the page after).
 */
export function getDashboardStats(q: DashboardStatsQuery, signal?: AbortSignal): Promise<DashboardStats> {
  return apiRequest('GET', '/api/dashboard/stats', { query: { ...q }, schema: zDashboardStats, signal });
}

/** The query of the stats with the page of rows `q` names (useDashboardStats and prefetchDashboardStats share it). */
function dashboardStatsQuery(q: DashboardStatsQuery) {
  return {
    queryKey: dashboardKeys.stats(q),
    queryFn: ({ signal }: { signal?: AbortSignal }) => getDashboardStats(q, signal),
  };
}

/** The stats with the page of rows `q` names; the page shown stays while the next one loads. */
export function useDashboardStats(q: DashboardStatsQuery) {
  return useQuery({ ...dashboardStatsQuery(q), placeholderData: keepPreviousData });
}

/** The grid's sort and filters as the URL's search params say (`sort`, `order`, `team`, `region`). */
export function gridQueryFrom(params: URLSearchParams): Omit<DashboardStatsQuery, 'cursor' | 'page_size'> {
  const sort = params.get('sort') || undefined;
  const order = params.get('order');
  return {
    sort,
    order: order === 'asc' || order === 'desc' ? order : undefined,
    team: params.get('team') || undefined,
    region: (params.get('region') || undefined) as DashboardStatsQuery['region'],
  };
}

/** The dashboard's rows per page. */
export const DASHBOARD_PAGE_SIZE = 10;

/**
 * Starts the request of the stats the dashboard shows first (the URL's sort, filters and cursor), before the page
 * renders; the page's useDashboardStats then joins it (same key).
 */
export function prefetchDashboardStats(client: QueryClient, search: URLSearchParams): Promise<void> {
  return client.prefetchQuery(
    dashboardStatsQuery({
      ...gridQueryFrom(search),
      cursor: search.get('cursor') ?? undefined,
      page_size: DASHBOARD_PAGE_SIZE,
    }),
  );
}
