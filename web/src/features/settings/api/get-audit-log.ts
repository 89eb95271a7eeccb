import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest, pageSchema } from '@/lib/api-client';
import { settingsKeys } from './schemas';

export const auditEntrySchema = z.object({
  seq: z.number().optional(),
  audit_id: z.string(),
  at: z.string().nullable(),
  actor_id: z.string(),
  actor_email: z.string().optional().default(''),
  action: z.string(),
  target_type: z.string(),
  target_id: z.string(),
  outcome: z.string(),
  client_ip: z.string().optional().default(''),
  user_agent: z.string().optional().default(''),
  request_id: z.string().optional().default(''),
  detail: z.string().optional().default(''),
  /** How many identical events the entry stands for (repeated anonymous failures share one entry). */
  count: z.number().int().min(1).optional().default(1),
  /** When the last of them happened (= at when count is 1). */
  last_at: z.string().nullable().optional(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const auditPageSchema = pageSchema(auditEntrySchema);
export type AuditPage = z.infer<typeof auditPageSchema>;

export interface AuditQuery {
  actor_id?: string;
  /** An exact action, or a prefix ending in '.' (e.g. "account."). */
  action?: string;
  target_type?: string;
  target_id?: string;
  outcome?: string;
  /** UTC times like 2026-01-31T00:00:00Z. */
  from?: string;
  to?: string;
  page?: number;
  page_size?: number;
}

/** GET /api/admin/audit-log (admins): newest first. */
export function getAuditLog(q: AuditQuery, signal?: AbortSignal): Promise<AuditPage> {
  return apiRequest('GET', '/api/admin/audit-log', { query: { ...q }, schema: auditPageSchema, signal });
}

export function useAuditLog(q: AuditQuery) {
  return useQuery({
    queryKey: settingsKeys.audit(q),
    queryFn: ({ signal }) => getAuditLog(q, signal),
    placeholderData: keepPreviousData,
  });
}
