import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { quotaConfigSchema, settingsKeys, type ModelSpec, type QuotaConfig } from './schemas';

export interface QuotaConfigInput {
  config_id: string;
  models: ModelSpec[];
  /** The version read; 409 when someone else saved in between. */
  version: number;
}

/** PUT /api/admin/quota-config (admins). */
export function putQuotaConfig(input: QuotaConfigInput): Promise<QuotaConfig> {
  return apiRequest('PUT', '/api/admin/quota-config', { body: input, schema: quotaConfigSchema });
}

export function usePutQuotaConfig() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: putQuotaConfig,
    onSuccess: (saved) => {
      qc.setQueryData(settingsKeys.quotaConfig, saved);
      void qc.invalidateQueries({ queryKey: ['dashboard'] });
      void qc.invalidateQueries({ queryKey: ['quota'] });
      void qc.invalidateQueries({ queryKey: settingsKeys.availableModels });
    },
  });
}
