import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { zRefreshAllQuotasResponse, type RefreshAllQuotasResponse } from '@/lib/api/contract';
import { jobKeys } from './keys';

export interface FleetRefreshScope {
  team?: string;
  region?: string;
  /**
   * false: do not poll usage. true or absent: the server's default, which polls each (account, region)'s usage
   * from CloudWatch after its quota refresh when the server reads usage (so never a 422 on a server that does not).
   */
  includeUsage?: boolean;
  /** Only the quota codes of these enabled models (a model just added or enabled); absent = every model. */
  modelIds?: string[];
}

/**
 * POST /api/admin/quota/refresh-all (admins): refreshes every active account (optionally of one team, one region)
 * in the background. 202 with the job to follow at /api/jobs/{id}; 409 while another fleet job runs.
 */
export function startFleetRefresh(scope: FleetRefreshScope = {}): Promise<RefreshAllQuotasResponse> {
  const body = {
    team: scope.team || null,
    region: scope.region || null,
    ...(scope.includeUsage === false ? { include_usage: false } : {}),
    ...(scope.modelIds?.length ? { model_ids: scope.modelIds } : {}),
  };
  return apiRequest('POST', '/api/admin/quota/refresh-all', { body, schema: zRefreshAllQuotasResponse });
}

export function useStartFleetRefresh() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: startFleetRefresh,
    onSettled: () => void qc.invalidateQueries({ queryKey: jobKeys.lists }),
  });
}
