import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest, probeRoute } from '@/lib/api-client';
import { quotaKeys, quotaReadSchema, type QuotaRead } from './schemas';

const path = (accountId: string) => `/api/accounts/${encodeURIComponent(accountId)}/quota/refresh`;

/**
 * POST /api/accounts/{id}/quota/refresh?region=: reads the quotas from AWS now. 200 with the quota read plus each
 * value's outcome; 502 when nothing could be read. Servers older than this feature answer 404.
 */
export function refreshAccountQuota(accountId: string, region: string): Promise<QuotaRead> {
  return apiRequest('POST', path(accountId), { query: { region }, schema: quotaReadSchema });
}

/** Whether the server has the refresh route (asked once per account page, without side effects). */
export function useRefreshAvailable(accountId: string) {
  return useQuery({
    queryKey: [...quotaKeys.refreshRoute, accountId],
    queryFn: ({ signal }) => probeRoute(path(accountId), signal),
    staleTime: Infinity,
  });
}

export function useRefreshAccountQuota(accountId: string, region: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => refreshAccountQuota(accountId, region),
    onSuccess: (read) => {
      qc.setQueryData(quotaKeys.read(accountId, region), read);
      void qc.invalidateQueries({ queryKey: ['quota', accountId, 'history'] });
      void qc.invalidateQueries({ queryKey: ['dashboard'] });
    },
    onError: () => {
      // A failed refresh may still have marked values stale or errored: show what the server now has.
      void qc.invalidateQueries({ queryKey: quotaKeys.read(accountId, region) });
    },
  });
}
