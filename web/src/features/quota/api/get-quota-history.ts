import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest, isRouteMissing } from '@/lib/api-client';
import { quotaKeys, quotaStateSchema } from './schemas';

export const quotaHistorySchema = z.object({
  items: z.array(
    z.object({
      at: z.string(),
      dimension: z.string(),
      value: z.number().nullable(),
      state: quotaStateSchema.or(z.string()),
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
