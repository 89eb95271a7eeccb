import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { zAlertRule, type AlertRule, type AlertRuleInput } from '@/lib/api/contract';
import { alertKeys } from './keys';

/** POST /api/admin/alert-rules (admins): 201 with the rule (version 1); 422 names the first bad field. */
export function createAlertRule(input: AlertRuleInput): Promise<AlertRule> {
  return apiRequest('POST', '/api/admin/alert-rules', { body: input, schema: zAlertRule });
}

export function useCreateAlertRule() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: createAlertRule,
    onSuccess: () => void qc.invalidateQueries({ queryKey: alertKeys.rules }),
  });
}
