import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest, isRouteMissing } from '@/lib/api-client';
import { settingsKeys } from './schemas';

export const availableModelsSchema = z.object({
  models: z.array(
    z.object({
      display_name: z.string(),
      /** A suggested id in the quota config's naming. */
      model_id: z.string(),
      scope: z.string().optional(),
      version: z.number().nullable().optional(),
      quota_code_tpm: z.string().nullable(),
      quota_code_rpm: z.string().nullable(),
      has_1m_context: z.boolean().optional(),
      quota_code_tpm_1m: z.string().nullable().optional(),
      quota_code_rpm_1m: z.string().nullable().optional(),
      in_config: z.boolean(),
    }),
  ),
  /** "aws" (read from an account's Service Quotas) or "catalogue" (built in, when no account could be asked). */
  source: z.string().nullable().optional(),
  fallback_reason: z.string().nullable().optional(),
  account_id: z.string().nullable().optional(),
  region: z.string().nullable().optional(),
  quotas_seen: z.number().optional(),
  discovered_at: z.string().nullable().optional(),
});
export type AvailableModels = z.infer<typeof availableModelsSchema>;
export type AvailableModel = AvailableModels['models'][number];
export type AvailableModelsResult = { available: true; data: AvailableModels } | { available: false };

/**
 * GET /api/admin/available-models (admins): the Claude models an account's Service Quotas list (cached an hour by
 * the server; `refresh` asks AWS again). { available: false } on a server without the route.
 */
export async function getAvailableModels(
  opts: { refresh?: boolean } = {},
  signal?: AbortSignal,
): Promise<AvailableModelsResult> {
  try {
    const data = await apiRequest('GET', '/api/admin/available-models', {
      query: { refresh: opts.refresh ? 'true' : undefined },
      schema: availableModelsSchema,
      signal,
    });
    return { available: true, data };
  } catch (e) {
    if (isRouteMissing(e)) return { available: false };
    throw e;
  }
}

export function useAvailableModels() {
  return useQuery({ queryKey: settingsKeys.availableModels, queryFn: ({ signal }) => getAvailableModels({}, signal) });
}

/** Asks AWS again (refresh=true) and replaces the cached list. */
export function useRediscoverModels() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => getAvailableModels({ refresh: true }),
    onSuccess: (res) => qc.setQueryData(settingsKeys.availableModels, res),
  });
}
