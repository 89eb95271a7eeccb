import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { zAlertPage, type AlertPage } from '@/lib/api/contract';
import { alertKeys, type AlertsQuery } from './keys';

export type { Alert, AlertDelivery, AlertPage } from '@/lib/api/contract';

/**
 * GET /api/alerts: one page of alerts, newest first. Admins may filter by anything or nothing; users must name an
 * account_id they may read (422 without it). account_id and rule_id cannot be combined.
 */
export function listAlerts(q: AlertsQuery, signal?: AbortSignal): Promise<AlertPage> {
  return apiRequest('GET', '/api/alerts', { query: { ...q }, schema: zAlertPage, signal });
}

/** A page of alerts; `enabled` false while the page still lacks a required filter. */
export function useAlerts(q: AlertsQuery, enabled = true) {
  return useQuery({
    queryKey: alertKeys.list(q),
    queryFn: ({ signal }) => listAlerts(q, signal),
    enabled,
    placeholderData: keepPreviousData,
  });
}
