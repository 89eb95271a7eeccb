import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { zRefreshAllQuotasResponse, type RefreshAllQuotasResponse } from '@/lib/api/contract';
import { jobKeys } from './keys';

export interface FleetRefreshScope {
  team?: string;
  region?: string;
}

/**
 * POST /api/admin/quota/refresh-all (admins): refreshes every active account (optionally of one team, one region)
 * in the background. 202 with the job to follow at /api/jobs/{id}; 409 while another fleet job runs.
 */
export function startFleetRefresh(scope: FleetRefreshScope = {}): Promise<RefreshAllQuotasResponse> {
  const body = { team: scope.team || null, region: scope.region || null };
  return apiRequest('POST', '/api/admin/quota/refresh-all', { body, schema: zRefreshAllQuotasResponse });
}

export function useStartFleetRefresh() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: startFleetRefresh,
    onSettled: () => void qc.invalidateQueries({ queryKey: jobKeys.lists }),
  });
}
