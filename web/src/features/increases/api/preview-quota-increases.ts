import { useMutation } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { zIncreasePreview, type IncreasePreview, type IncreasePreviewRequest } from '@/lib/api/contract';

export type { IncreasePreview, IncreasePreviewItem } from '@/lib/api/contract';

/**
 * POST /api/quota-increases/preview: what would be sent for each (account, region) target and what would be
 * refused before sending (no AWS call, nothing stored). A target the caller may not request for has the problem
 * `forbidden` (the preview itself is open to every user).
 */
export function previewQuotaIncreases(input: IncreasePreviewRequest): Promise<IncreasePreview> {
  return apiRequest('POST', '/api/quota-increases/preview', { body: input, schema: zIncreasePreview });
}

/** A mutation, not a query: the preview is asked for when the form says so, and shows until the form changes. */
export function usePreviewQuotaIncreases() {
  return useMutation({ mutationFn: previewQuotaIncreases });
}
