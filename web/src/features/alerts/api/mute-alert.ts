import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { zAlert, type Alert } from '@/lib/api/contract';
import { alertKeys } from './keys';

/**
 * POST /api/alerts/{id}/mute: mutes the alert until `until` (an ISO time, in the future and at most 30 days ahead:
 * 422 field until otherwise), or unmutes it (`until` null).
 */
export function muteAlert(alertId: string, until: string | null): Promise<Alert> {
  return apiRequest('POST', `/api/alerts/${encodeURIComponent(alertId)}/mute`, { body: { until }, schema: zAlert });
}

export function useMuteAlert() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ alertId, until }: { alertId: string; until: string | null }) => muteAlert(alertId, until),
    onSuccess: () => void qc.invalidateQueries({ queryKey: alertKeys.all }),
  });
}
