import { useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { zQuotaConfig, type ModelSpec } from '@/lib/api/contract';
import { alertKeys } from './keys';

/** GET /api/admin/quota-config (admins), read for its models: a model scope names one of them. */
export async function getConfigModels(signal?: AbortSignal): Promise<ModelSpec[]> {
  const config = await apiRequest('GET', '/api/admin/quota-config', { schema: zQuotaConfig, signal });
  return config.models;
}

export function useConfigModels(enabled = true) {
  return useQuery({ queryKey: alertKeys.configModels, queryFn: ({ signal }) => getConfigModels(signal), enabled });
}
