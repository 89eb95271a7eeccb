import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { zAlert, type Alert } from '@/lib/api/contract';
import { alertKeys } from './keys';

/** POST /api/alerts/{id}/ack: acknowledges a firing alert (409 when it is resolved). */
export function acknowledgeAlert(alertId: string): Promise<Alert> {
  return apiRequest('POST', `/api/alerts/${encodeURIComponent(alertId)}/ack`, { schema: zAlert });
}

export function useAcknowledgeAlert() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: acknowledgeAlert,
    onSuccess: () => void qc.invalidateQueries({ queryKey: alertKeys.all }),
  });
}
