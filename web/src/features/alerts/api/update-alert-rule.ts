import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { zAlertRule, type AlertRule, type AlertRulePut } from '@/lib/api/contract';
import { alertKeys } from './keys';

/** PUT /api/admin/alert-rules/{id} (admins): replaces every field; send the version read (stale → 409). */
export function updateAlertRule(id: string, input: AlertRulePut): Promise<AlertRule> {
  return apiRequest('PUT', `/api/admin/alert-rules/${encodeURIComponent(id)}`, { body: input, schema: zAlertRule });
}

export function useUpdateAlertRule() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id: string; input: AlertRulePut }) => updateAlertRule(id, input),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: alertKeys.rules });
      void qc.invalidateQueries({ queryKey: alertKeys.all });
    },
  });
}
