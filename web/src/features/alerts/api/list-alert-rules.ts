import { useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { zAlertRule, zAlertRuleList, type AlertRule, type AlertRuleList } from '@/lib/api/contract';
import { alertKeys } from './keys';

export type { AlertRule } from '@/lib/api/contract';

/** GET /api/admin/alert-rules (admins): every rule, sorted by id (at most 500, unpaged). */
export function listAlertRules(signal?: AbortSignal): Promise<AlertRuleList> {
  return apiRequest('GET', '/api/admin/alert-rules', { schema: zAlertRuleList, signal });
}

/** GET /api/admin/alert-rules/{id} (admins): one rule as stored now (e.g. after a 409). */
export function getAlertRule(id: string, signal?: AbortSignal): Promise<AlertRule> {
  return apiRequest('GET', `/api/admin/alert-rules/${encodeURIComponent(id)}`, { schema: zAlertRule, signal });
}

export function useAlertRules(enabled = true) {
  return useQuery({ queryKey: alertKeys.rules, queryFn: ({ signal }) => listAlertRules(signal), enabled });
}
