import { useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { zQuotaConfig, type QuotaConfig } from '@/lib/api/contract';
import { settingsKeys } from './keys';

/** GET /api/admin/quota-config (admins). */
export function getQuotaConfig(signal?: AbortSignal): Promise<QuotaConfig> {
  return apiRequest('GET', '/api/admin/quota-config', { schema: zQuotaConfig, signal });
}

export function useQuotaConfig() {
  return useQuery({ queryKey: settingsKeys.quotaConfig, queryFn: ({ signal }) => getQuotaConfig(signal) });
}
