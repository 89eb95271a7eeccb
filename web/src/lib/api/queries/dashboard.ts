// The dashboard's key factory: the dashboard feature reads under it, every feature that changes what the dashboard
// counts (accounts, quotas, the quota config) invalidates `dashboardKeys.all`.
import type { GetDashboardStatsData } from '../contract';

/** The query of GET /api/dashboard/stats: a cursor (absent = the first page of rows) and the rows per page. */
export type DashboardStatsQuery = NonNullable<GetDashboardStatsData['query']>;

export const dashboardKeys = {
  all: ['dashboard'] as const,
  stats: (q: DashboardStatsQuery) => ['dashboard', 'stats', q] as const,
};
