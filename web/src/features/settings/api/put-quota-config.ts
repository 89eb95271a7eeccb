import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { zQuotaConfigSaved, type QuotaConfigPut, type QuotaConfigSaved } from '@/lib/api/contract';
import { dashboardKeys } from '@/lib/api/queries/dashboard';
import { quotaKeys } from '@/lib/api/queries/quota';
import { settingsKeys } from './keys';

/**
 * PUT /api/admin/quota-config (admins): send the version read; 409 when someone else saved in between; 422 naming
 * the field (e.g. models[2].show_in_dashboard). The answer names the models that start being read
 * (newly_read_models), to offer a fleet refresh limited to them.
 */
export function putQuotaConfig(input: QuotaConfigPut): Promise<QuotaConfigSaved> {
  return apiRequest('PUT', '/api/admin/quota-config', { body: input, schema: zQuotaConfigSaved });
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
