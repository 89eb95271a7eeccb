import { useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { zDashboardStats, type DashboardStats } from '@/lib/api/contract';
import { dashboardKeys } from '@/lib/api/queries/dashboard';

export type { DashboardModel, DashboardStats, DimensionTotals } from '@/lib/api/contract';

/** GET /api/dashboard/stats: fleet totals (fresh values only) of the dashboard models over the caller's accounts. */
export function getDashboardStats(signal?: AbortSignal): Promise<DashboardStats> {
  return apiRequest('GET', '/api/dashboard/stats', { schema: zDashboardStats, signal });
}

export function useDashboardStats() {
  return useQuery({ queryKey: dashboardKeys.stats, queryFn: ({ signal }) => getDashboardStats(signal) });
}
