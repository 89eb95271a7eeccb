import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { zAuditPage, type AuditPage, type ListAuditData } from '@/lib/api/contract';
import { settingsKeys } from './keys';

export type { AuditEntry, AuditPage } from '@/lib/api/contract';

/** Filters of the audit log (action: exact, or a prefix ending in '.'; from/to: UTC times like 2026-01-31T00:00:00Z). */
export type AuditQuery = NonNullable<ListAuditData['query']>;

/** GET /api/admin/audit-log (admins): newest first. */
export function getAuditLog(q: AuditQuery, signal?: AbortSignal): Promise<AuditPage> {
  return apiRequest('GET', '/api/admin/audit-log', { query: { ...q }, schema: zAuditPage, signal });
}

export function useAuditLog(q: AuditQuery) {
  return useQuery({
    queryKey: settingsKeys.audit(q),
    queryFn: ({ signal }) => getAuditLog(q, signal),
    placeholderData: keepPreviousData,
  });
}
