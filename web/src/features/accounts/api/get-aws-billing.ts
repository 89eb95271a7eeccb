import { useMutation } from '@tanstack/react-query';
import { apiRequest, isApiError } from '@/lib/api-client';
import { zContactInfoRecord, type ContactInfoRecord } from '@/lib/api/contract';

export type AwsBillingResult = { available: true; info: ContactInfoRecord } | { available: false };

/**
 * GET /api/accounts/{id}/billing?source=aws: the primary contact as AWS has it. A server without this feature
 * ignores the parameter (answers with source "platform") or answers 404; both mean "not available".
 */
export async function getAwsBilling(id: string): Promise<AwsBillingResult> {
  try {
    const info = await apiRequest('GET', `/api/accounts/${encodeURIComponent(id)}/billing`, {
      query: { source: 'aws' },
      schema: zContactInfoRecord,
    });
    return info.source === 'aws' ? { available: true, info } : { available: false };
  } catch (e) {
    if (isApiError(e) && (e.status === 404 || e.status === 405 || e.status === 501)) return { available: false };
    throw e;
  }
}

export function useAwsBilling(id: string) {
  return useMutation({ mutationFn: () => getAwsBilling(id) });
}
