import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '@/lib/api-client';

const totalsSchema = z.object({
  total: z.number().nullable(),
  fresh: z.number(),
  stale: z.number(),
  missing: z.number(),
});
export type DimensionTotals = z.infer<typeof totalsSchema>;

export const dashboardStatsSchema = z.object({
  active_accounts: z.number(),
  account_regions: z.number(),
  models: z.array(
    z.object({
      model_id: z.string(),
      display_name: z.string(),
      has_1m_context: z.boolean(),
      tpm: totalsSchema,
      rpm: totalsSchema,
      tpm_1m: totalsSchema.optional(),
      rpm_1m: totalsSchema.optional(),
    }),
  ),
  generated_at: z.string().nullable(),
});
export type DashboardStats = z.infer<typeof dashboardStatsSchema>;
export type DashboardModel = DashboardStats['models'][number];

/** GET /api/dashboard/stats: fleet totals (fresh values only) of the dashboard models over the caller's accounts. */
export function getDashboardStats(signal?: AbortSignal): Promise<DashboardStats> {
  return apiRequest('GET', '/api/dashboard/stats', { schema: dashboardStatsSchema, signal });
}

export function useDashboardStats() {
  return useQuery({ queryKey: ['dashboard', 'stats'], queryFn: ({ signal }) => getDashboardStats(signal) });
}
