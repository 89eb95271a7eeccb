import { useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { quotaConfigSchema, settingsKeys, type QuotaConfig } from './schemas';

/** GET /api/admin/quota-config (admins). */
export function getQuotaConfig(signal?: AbortSignal): Promise<QuotaConfig> {
  return apiRequest('GET', '/api/admin/quota-config', { schema: quotaConfigSchema, signal });
}

export function useQuotaConfig() {
  return useQuery({ queryKey: settingsKeys.quotaConfig, queryFn: ({ signal }) => getQuotaConfig(signal) });
}
