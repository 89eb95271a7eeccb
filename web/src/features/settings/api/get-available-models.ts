import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest, isRouteMissing } from '@/lib/api-client';
import { settingsKeys } from './schemas';

export const availableModelsSchema = z.object({
  models: z.array(
    z.object({
      display_name: z.string(),
      model_id: z.string(),
      quota_code_tpm: z.string().nullable(),
      quota_code_rpm: z.string().nullable(),
      quota_code_tpm_1m: z.string().nullable().optional(),
      quota_code_rpm_1m: z.string().nullable().optional(),
      in_config: z.boolean(),
    }),
  ),
  source: z.string().nullable().optional(),
  discovered_at: z.string().nullable().optional(),
});
export type AvailableModels = z.infer<typeof availableModelsSchema>;
export type AvailableModel = AvailableModels['models'][number];
export type AvailableModelsResult = { available: true; data: AvailableModels } | { available: false };

/** GET /api/admin/available-models (admins); { available: false } on a server without the route. */
export async function getAvailableModels(signal?: AbortSignal): Promise<AvailableModelsResult> {
  try {
    const data = await apiRequest('GET', '/api/admin/available-models', { schema: availableModelsSchema, signal });
    return { available: true, data };
  } catch (e) {
    if (isRouteMissing(e)) return { available: false };
    throw e;
  }
}

export function useAvailableModels() {
  return useQuery({ queryKey: settingsKeys.availableModels, queryFn: ({ signal }) => getAvailableModels(signal) });
}
