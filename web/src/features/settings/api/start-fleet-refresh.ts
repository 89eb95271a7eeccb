import { useMutation, useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest, probeRoute } from '@/lib/api-client';
import { settingsKeys } from './schemas';

const PATH = '/api/admin/quota/refresh-all';

export const fleetRefreshStartedSchema = z.object({ job_id: z.string() });

/** POST /api/admin/quota/refresh-all (admins): 202 with the job to follow at /api/jobs/{id}. */
export function startFleetRefresh(): Promise<{ job_id: string }> {
  return apiRequest('POST', PATH, { schema: fleetRefreshStartedSchema });
}

export function useStartFleetRefresh() {
  return useMutation({ mutationFn: startFleetRefresh });
}

/** Whether the server has the fleet refresh route (asked without side effects). */
export function useFleetRefreshAvailable() {
  return useQuery({
    queryKey: settingsKeys.fleetRefreshRoute,
    queryFn: ({ signal }) => probeRoute(PATH, signal),
    staleTime: Infinity,
  });
}
