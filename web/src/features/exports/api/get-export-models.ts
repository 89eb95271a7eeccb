import { useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { zDashboardStats, type DashboardModel } from '@/lib/api/contract';

/**
 * The models the LiteLLM export offers: the dashboard's models, from GET /api/dashboard/stats (one row asked for; any
 * user may read it, where the quota config is admin-only).
 */
export async function getExportModels(signal?: AbortSignal): Promise<DashboardModel[]> {
  const stats = await apiRequest('GET', '/api/dashboard/stats', {
    query: { page_size: 1 },
    schema: zDashboardStats,
    signal,
  });
  return stats.models;
}

export function useExportModels() {
  return useQuery({ queryKey: ['exports', 'litellm-models'], queryFn: ({ signal }) => getExportModels(signal) });
}
