import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest, probeRoute } from '@/lib/api-client';
import { settingsKeys } from './schemas';

const PATH = '/api/admin/quota/refresh-all';

export const fleetRefreshStartedSchema = z.object({ job_id: z.string(), total: z.number().optional() });

export interface FleetRefreshScope {
  team?: string;
  region?: string;
}

/**
 * POST /api/admin/quota/refresh-all (admins): refreshes every active account (optionally of one team, one region)
 * in the background. 202 with the job to follow at /api/jobs/{id}; 409 while another fleet job runs.
 */
export function startFleetRefresh(scope: FleetRefreshScope = {}): Promise<{ job_id: string; total?: number }> {
  const body = { team: scope.team || null, region: scope.region || null };
  return apiRequest('POST', PATH, { body, schema: fleetRefreshStartedSchema });
}

export function useStartFleetRefresh() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: startFleetRefresh,
    onSettled: () => void qc.invalidateQueries({ queryKey: ['jobs', 'list'] }),
  });
}

/** Whether the server has the fleet refresh route (asked without side effects). */
export function useFleetRefreshAvailable() {
  return useQuery({
    queryKey: settingsKeys.fleetRefreshRoute,
    queryFn: ({ signal }) => probeRoute(PATH, signal),
    staleTime: Infinity,
  });
}
