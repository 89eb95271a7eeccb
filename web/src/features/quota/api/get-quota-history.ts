import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest, isRouteMissing } from '@/lib/api-client';
import { quotaKeys, quotaStateSchema } from './schemas';

export const quotaHistorySchema = z.object({
  account_id: z.string().optional(),
  region: z.string().optional(),
  model_id: z.string().nullable().optional(),
  items: z.array(
    z.object({
      at: z.string(),
      model_id: z.string().nullable().optional(),
      /** null for a quota code no longer in the config. */
      dimension: z.string().nullable(),
      quota_code: z.string().optional(),
      /** first_read, changed, stale, recovered, failed … */
      event: z.string().optional(),
      value: z.number().nullable(),
      previous_value: z.number().nullable().optional(),
      state: quotaStateSchema.or(z.string()),
      source: z.string().nullable().optional(),
      reason: z.string().nullable().optional(),
    }),
  ),
});
export type QuotaHistory = z.infer<typeof quotaHistorySchema>;
export type QuotaHistoryResult = { available: true; history: QuotaHistory } | { available: false };

/** GET /api/accounts/{id}/quota/history?model_id=&region=; { available: false } on a server without the route. */
export async function getQuotaHistory(
  accountId: string,
  region: string,
  modelId: string,
  signal?: AbortSignal,
): Promise<QuotaHistoryResult> {
  try {
    const history = await apiRequest('GET', `/api/accounts/${encodeURIComponent(accountId)}/quota/history`, {
      query: { model_id: modelId, region },
      schema: quotaHistorySchema,
      signal,
    });
    return { available: true, history };
  } catch (e) {
    if (isRouteMissing(e)) return { available: false };
    throw e;
  }
}

export function useQuotaHistory(accountId: string, region: string, modelId: string | undefined) {
  return useQuery({
    queryKey: quotaKeys.history(accountId, region, modelId ?? ''),
    queryFn: ({ signal }) => getQuotaHistory(accountId, region, modelId ?? '', signal),
    enabled: Boolean(modelId),
  });
}
