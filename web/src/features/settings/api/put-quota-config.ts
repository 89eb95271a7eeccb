import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { zQuotaConfig, type QuotaConfig, type QuotaConfigPut } from '@/lib/api/contract';
import { dashboardKeys } from '@/lib/api/queries/dashboard';
import { quotaKeys } from '@/lib/api/queries/quota';
import { settingsKeys } from './keys';

/** PUT /api/admin/quota-config (admins): send the version read; 409 when someone else saved in between. */
export function putQuotaConfig(input: QuotaConfigPut): Promise<QuotaConfig> {
  return apiRequest('PUT', '/api/admin/quota-config', { body: input, schema: zQuotaConfig });
}

export function usePutQuotaConfig() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: putQuotaConfig,
    onSuccess: (saved) => {
      qc.setQueryData(settingsKeys.quotaConfig, saved);
      void qc.invalidateQueries({ queryKey: dashboardKeys.all });
      void qc.invalidateQueries({ queryKey: quotaKeys.all });
      void qc.invalidateQueries({ queryKey: settingsKeys.availableModels });
    },
  });
}
